import type { SessionFrameworkId } from '../../catalog/sessionFrameworks';

/*
 * What to add by hand where rekey cannot make the edit exactly. Each snippet follows the
 * framework's documentation (cited in the catalog row) and reads the previous secret from the
 * env var rekey writes. No values, only names.
 */

/** The snippet for `framework`, or undefined when there is none to offer. */
export function manualSnippet(framework: SessionFrameworkId, key: string, previousKey: string): { language: string; snippet: string; where: string } | undefined {
  switch (framework) {
    case 'rails':
      return {
        language: 'ruby', where: 'config/initializers/cookie_rotator.rb',
        snippet: [
          '# Verify cookies signed or encrypted with the previous secret_key_base while it is set.',
          'Rails.application.config.after_initialize do',
          `  old = ENV["${previousKey}"]`,
          '  next if old.nil? || old.empty?',
          '  Rails.application.config.action_dispatch.cookies_rotations.tap do |cookies|',
          '    generator = ActiveSupport::KeyGenerator.new(old, iterations: 1000, hash_digest_class: OpenSSL::Digest::SHA256)',
          '    config = Rails.application.config.action_dispatch',
          '    cookies.rotate :encrypted, generator.generate_key(config.authenticated_encrypted_cookie_salt, 32)',
          '    cookies.rotate :signed, generator.generate_key(config.signed_cookie_salt)',
          '  end',
          'end',
        ].join('\n'),
      };
    case 'jose':
      return {
        language: 'ts', where: 'where the app calls jwtVerify',
        snippet: [
          "import { errors, jwtVerify } from 'jose';",
          '',
          `const keys = [process.env.${key}, process.env.${previousKey}].filter((s): s is string => Boolean(s)).map((s) => new TextEncoder().encode(s));`,
          '/** Verifies with the current key, then the previous one, only when the signature does not match. */',
          'export async function verifyWithPreviousKeys(token: string) {',
          '  for (let i = 0; i < keys.length; i++) {',
          '    try {',
          '      return await jwtVerify(token, keys[i]!);',
          '    } catch (err) {',
          '      if (i === keys.length - 1 || !(err instanceof errors.JWSSignatureVerificationFailed)) throw err;',
          '    }',
          '  }',
          "  throw new Error('no key to verify with');",
          '}',
        ].join('\n'),
      };
    case 'flask':
      return {
        language: 'python', where: 'after app.secret_key is set',
        snippet: `app.config["SECRET_KEY_FALLBACKS"] = [k for k in os.environ.get("${previousKey}", "").split(",") if k]`,
      };
    case 'express-session':
    case 'cookie-parser':
    case 'cookie-session':
      return { language: 'js', where: 'the secret option', snippet: `[process.env.${key}, process.env.${previousKey}].filter(Boolean)` };
    case 'iron-session':
      return { language: 'js', where: 'the password option', snippet: `{ 2: process.env.${key}, ...(process.env.${previousKey} ? { 1: process.env.${previousKey} } : {}) }` };
    default:
      return undefined;
  }
}
