import { z } from 'zod';

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }).max(320));

export const password = z.string().min(1, 'Enter a password.').max(256, 'Use at most 256 characters.');
export const token = z.string().min(16, 'This link is incomplete. Open the whole link from the mail.').max(128);

export const loginInput = z.object({ email, password });
export const requestPasswordResetInput = z.object({ email });
export const resetPasswordInput = z.object({ token, password });
export const acceptInviteInput = z.object({ token, password, name: z.string().trim().min(1).max(200).optional() });
export const checkTokenInput = z.object({ token, purpose: z.enum(['reset', 'invite']) });
export const signUpInput = z.object({ email, password, name: z.string().trim().min(1, 'Enter your name.').max(200) });
export const changePasswordInput = z.object({ currentPassword: password, newPassword: password });
