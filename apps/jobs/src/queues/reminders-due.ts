import { fireDueReminders, queues } from '@goalpost/api';
import { handler } from '../handler.ts';

/** reminders-due (every minute): fires each due reminder occurrence once. */
export const remindersDue = handler(queues.remindersDue, async (ctx) => {
  const { fired, alreadyFired } = await fireDueReminders(ctx);
  return `fired ${fired} reminders${alreadyFired ? `, ${alreadyFired} already fired elsewhere` : ''}`;
});
