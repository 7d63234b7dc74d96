import { nodemailerLib } from '../../vendor/lazy';
import { classifyError } from '../classify';
import { errorText } from '../sanitize';
import type { ConnectionTarget, LiveDriver, VerifyOutcome } from '../types';
import { nodeTlsOptions } from './tlsOptions';

/*
 * SMTP AUTH through nodemailer's `verify()`: connect, EHLO, STARTTLS or implicit TLS, AUTH, QUIT.
 * No message is sent. Changing an SMTP password is the provider's job, so there is no admin side.
 */

/** The SMTP driver. */
export const smtpDriver: LiveDriver = {
  service: 'smtp',
  async verify(target: ConnectionTarget, timeoutMs: number): Promise<VerifyOutcome> {
    const started = Date.now();
    const implicit = target.tls.mode === 'require' || target.tls.mode === 'verify-full' || target.tls.mode === 'verify-ca';
    const tls = nodeTlsOptions(target.tls.mode === 'off' ? { ...target.tls, mode: 'prefer' } : target.tls, target.host);
    const transport = nodemailerLib().createTransport({
      host: target.host,
      port: target.port,
      secure: implicit,
      ignoreTLS: target.tls.mode === 'off',
      requireTLS: target.tls.mode === 'starttls',
      auth: { user: target.user, pass: target.password },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      logger: false,
      debug: false,
      ...(tls ? { tls } : {}),
    });
    try {
      await transport.verify();
      return { status: 'ok', detail: 'authenticated (SMTP AUTH), no message sent', ms: Date.now() - started };
    } catch (err) {
      return { status: classifyError(err), detail: errorText(err, [target.password, target.user ? `\0${target.user}\0${target.password}` : '']), ms: Date.now() - started };
    } finally {
      transport.close();
    }
  },
};
