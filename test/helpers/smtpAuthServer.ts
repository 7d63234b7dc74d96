import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An SMTP server with AUTH PLAIN/LOGIN on a loopback port (`smtp-server`, Nodemailer's server). */
export interface SmtpAuthServer {
  port: number;
  /** Successful and failed AUTH attempts, user names only. */
  attempts: Array<{ user: string; ok: boolean }>;
  close(): Promise<void>;
}

export async function startSmtpAuthServer(user: string, password: string): Promise<SmtpAuthServer> {
  const attempts: SmtpAuthServer['attempts'] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    // Plain-text AUTH on loopback: no certificate to trust in tests.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      const ok = auth.username === user && auth.password === password;
      attempts.push({ user: auth.username ?? '', ok });
      if (ok) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return { port, attempts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
