import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The folder where rekey keeps per-user state that must never live in a repository (the
 * fingerprint key, the rotation ledger): `$REKEY_STATE_DIR`, else `$XDG_STATE_HOME/rekey`, else
 * `~/.local/state/rekey`; on Windows `%LOCALAPPDATA%\rekey`. The CLI, the hooks and the editor all
 * use it, so they share one ledger and one fingerprint key. Pure: nothing is created here.
 */
export function stateDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const explicit = env.REKEY_STATE_DIR;
  if (explicit) return path.resolve(explicit);
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    return local ? path.win32.join(local, 'rekey') : path.win32.join(home, 'AppData', 'Local', 'rekey');
  }
  // XDG says relative values are invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'rekey');
  return path.join(home, '.local', 'state', 'rekey');
}
