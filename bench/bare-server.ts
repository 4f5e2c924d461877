/**
 * The yardstick for `npm run bench`: a bare node:http server answering a small JSON body, run in
 * its own process as the app is, so the ratio app/bare shows what the app's request path costs.
 */
import { createServer } from 'node:http';

const server = createServer((_req, res) => {
  const body = JSON.stringify({
    id: '0199a1a0-0000-7000-8000-000000000000',
    email: 'bare@bench.test',
    roles: ['user'],
  });
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
