/** The mails Goalpost sends, each as plain text and HTML with the same content. */
export interface Composed {
  kind: string;
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(paragraphs: string[], action: { label: string; url: string }, footer: string): string {
  return [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2933;max-width:560px">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(action.url)}" style="background:#2457c5;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${escapeHtml(action.label)}</a></p>`,
    `<p style="color:#616e7c;font-size:13px">${escapeHtml(footer)}<br>${escapeHtml(action.url)}</p>`,
    '</body></html>',
  ].join('\n');
}

export function inviteMail(input: { name: string; invitedBy: string; url: string; days: number }): Composed {
  const intro = `Hello ${input.name},`;
  const body = `${input.invitedBy} has invited you to Goalpost, where your team plans goals, budgets and forecasts and approves them together.`;
  const footer = `The link works once and expires in ${input.days} days. If you did not expect this, ignore this mail.`;
  return {
    kind: 'invite',
    subject: 'You are invited to Goalpost',
    text: `${intro}\n\n${body}\n\nSet your password to start:\n${input.url}\n\n${footer}\n`,
    html: layout([intro, body], { label: 'Set your password', url: input.url }, footer),
  };
}

export function passwordResetMail(input: { name: string; url: string; minutes: number }): Composed {
  const intro = `Hello ${input.name},`;
  const body = 'Someone (hopefully you) asked to reset your Goalpost password.';
  const footer = `The link works once and expires in ${input.minutes} minutes. If you did not ask, ignore this mail: your password stays as it is.`;
  return {
    kind: 'password-reset',
    subject: 'Reset your Goalpost password',
    text: `${intro}\n\n${body}\n\nChoose a new password:\n${input.url}\n\n${footer}\n`,
    html: layout([intro, body], { label: 'Choose a new password', url: input.url }, footer),
  };
}

/** To each active admin when a locked-out person ended the lock by resetting their password. */
export function accountUnlockedByResetMail(input: {
  adminName: string;
  user: { name: string; email: string };
  url: string;
}): Composed {
  const intro = `Hello ${input.adminName},`;
  const who = `${input.user.name} (${input.user.email})`;
  const body = `${who} was locked out after too many failed sign-in attempts, and has now unlocked the account by setting a new password through the reset link mailed to them.`;
  const check =
    'If they did not expect the lock, someone may have been guessing their password; if they did not reset it themselves, someone may control their mailbox. Their history in the users list shows both.';
  const footer = 'You receive this because you are an administrator of Goalpost.';
  return {
    kind: 'account-unlocked',
    subject: `Goalpost: ${input.user.name} unlocked their account`,
    text: `${intro}\n\n${body}\n\n${check}\n\nOpen the users list:\n${input.url}\n\n${footer}\n`,
    html: layout([intro, body, check], { label: 'Open the users list', url: input.url }, footer),
  };
}

/** One notification by mail, with a one-click link to what it is about. */
export function notificationMail(input: {
  name: string;
  title: string;
  body: string | null;
  url: string;
  preferencesUrl: string;
}): Composed {
  const intro = `Hello ${input.name},`;
  const footer = `You receive this because of your notification settings; change them under Account: ${input.preferencesUrl}`;
  const paragraphs = [intro, input.title, ...(input.body ? [input.body] : [])];
  return {
    kind: 'notification',
    subject: `Goalpost: ${input.title}`,
    text: `${paragraphs.join('\n\n')}\n\nOpen it in Goalpost:\n${input.url}\n\n${footer}\n`,
    html: layout(paragraphs, { label: 'Open in Goalpost', url: input.url }, footer),
  };
}

/** The morning summary of notifications a person chose to read as a digest. */
export function digestMail(input: {
  name: string;
  items: { title: string; body: string | null; url: string }[];
  url: string;
  preferencesUrl: string;
}): Composed {
  const intro = `Hello ${input.name},`;
  const count = input.items.length === 1 ? '1 notification' : `${input.items.length} notifications`;
  const lead = `Here is your daily summary: ${count} since the last one.`;
  const footer = `You receive this daily summary because of your notification settings; change them under Account: ${input.preferencesUrl}`;
  const text = [
    intro,
    lead,
    ...input.items.map((i) => `- ${i.title}${i.body ? `\n  ${i.body}` : ''}\n  ${i.url}`),
    `All notifications:\n${input.url}`,
    footer,
  ].join('\n\n');
  const list = `<ul>${input.items
    .map(
      (i) =>
        `<li><a href="${escapeHtml(i.url)}">${escapeHtml(i.title)}</a>${i.body ? `<br><span style="color:#616e7c">${escapeHtml(i.body)}</span>` : ''}</li>`,
    )
    .join('')}</ul>`;
  const html = layout([intro, lead], { label: 'Open your notifications', url: input.url }, footer).replace(
    '<p><a href=',
    `${list}\n<p><a href=`,
  );
  return { kind: 'notification-digest', subject: `Goalpost: your daily summary (${count})`, text: `${text}\n`, html };
}
