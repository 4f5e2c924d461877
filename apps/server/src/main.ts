import { startApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const app = await startApp(config);

const lines = [
  '',
  `  Goalpost is running at ${app.url}`,
  app.embeddedDataDir
    ? `  Database: embedded PostgreSQL in ${app.embeddedDataDir} (set DATABASE_URL to use your own)`
    : '  Database: DATABASE_URL',
  config.SMTP_URL
    ? '  Mail: sent over SMTP_URL'
    : '  Mail: captured in the app (Admin → Outbox); set SMTP_URL to send it',
];
// Every first-admin message starts with "First admin": the chart's NOTES.txt and docker/README.md grep for it.
const expires = (at: Date) => at.toISOString().replace('T', ' ').slice(0, 16);
if (app.createdAdmin) {
  lines.push(
    '',
    '  First admin created. Sign in with:',
    `    email:    ${app.createdAdmin.email}`,
    `    password: ${app.createdAdmin.password}`,
    '  (shown once; change it under Account after signing in)',
  );
} else if (app.firstAdminLink?.url) {
  lines.push(
    '',
    `  First admin (${config.FIRST_ADMIN_EMAIL}) has not signed in yet. Set their password here`,
    `  (the link works once, until ${expires(app.firstAdminLink.expiresAt)} UTC; a start after that prints a new one):`,
    `    ${app.firstAdminLink.url}`,
  );
} else if (app.firstAdminLink) {
  lines.push(
    '',
    `  First admin (${config.FIRST_ADMIN_EMAIL}) has not signed in yet. A set-password link was printed at`,
    `  ${expires(app.firstAdminLink.issuedAt)} UTC (by this or another instance) and works until ${expires(app.firstAdminLink.expiresAt)} UTC.`,
    `  Lost it? \`npm run admin -- reset-link ${config.FIRST_ADMIN_EMAIL}\` prints a new one.`,
  );
} else {
  lines.push(`  Sign in as an existing user (the first admin is ${config.FIRST_ADMIN_EMAIL}).`);
}
console.log(`${lines.join('\n')}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
