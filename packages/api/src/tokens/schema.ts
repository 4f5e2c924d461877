import { API_TOKEN_SCOPES } from '@goalpost/db';
import { z } from 'zod';
import { isoDate } from '../goals/schema.ts';

export const createInput = z.object({
  name: z.string().trim().min(1, 'Name the token, after what will use it.').max(100, 'Use at most 100 characters.'),
  scope: z.enum(API_TOKEN_SCOPES),
  /** The last day the token works (through the end of that day, UTC); none: until revoked. */
  expiresOn: isoDate.nullish(),
});

export const tokenId = z.object({ tokenId: z.uuid() });

export const adminListInput = z.object({
  search: z.string().trim().max(200).optional(),
  status: z.enum(['active', 'all']).default('active'),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(50),
});
