import type { ZeroLogoutPlan } from '../zeroLogout/strategy';
import { applyStep, code, composeServices, fingerprintCheck, logCheck, shell, sourceOfTruthStep } from './sections';
import type { KindRunbook, RunbookContext, RunbookStepSpec } from './types';

/** The zero-logout plan the rotation follows, if any. */
function chosen(ctx: RunbookContext): ZeroLogoutPlan | undefined {
  return ctx.zeroLogout?.chosen ? ctx.zeroLogout.plan : undefined;
}

function frameworkLine(p: ZeroLogoutPlan): string {
  return `**${p.frameworkName}${p.version ? ` ${p.version}` : ''}** (${p.evidence}${p.versionFile ? `; version from ${code(p.versionFile)}` : ''}). Source: ${p.docUrl}.`;
}

/** The steps of a rotation that logs nobody out. */
function zeroLogoutSteps(ctx: RunbookContext, p: ZeroLogoutPlan): RunbookStepSpec[] {
  const steps: RunbookStepSpec[] = [];
  const prev = code(p.previousKey ?? '');
  if (p.codeChanges.length > 0) {
    const edits = p.codeChanges.map((c) => c.description).join('; ');
    steps.push({
      text: `Make the app read ${prev} too: rekey shows the code edit (${edits}). Review and apply it:\n${shell(`rekey rotate ${ctx.key} --file ${ctx.file} --dry-run     # prints the code edit as a patch`, `rekey rotate ${ctx.key} --file ${ctx.file} --apply-code`)}\nCommit and deploy the code edit with the rotation: until it runs, the app ignores ${prev}.`,
      byRotation: { text: `rekey applied the code edit that makes the app read ${prev} too (${edits}), after you reviewed it. Commit and deploy it with the rotation: until it runs, the app ignores ${prev}.`, complete: false },
    });
  } else {
    steps.push({
      text: `Apply the rotation with rekey:\n${shell(`rekey rotate ${ctx.key} --file ${ctx.file} --dry-run   # review the plan`, `rekey rotate ${ctx.key} --file ${ctx.file}`)}`,
      byRotation: { text: 'rekey applied the rotation.', complete: true },
    });
  }
  steps.push(p.layout === 'stage-indexed'
    ? { text: `In one write (backup ${code(ctx.backup)} first, Undo in the editor), rekey adds ${prev} with the new value and leaves ${code(ctx.key)} as it is. ${p.summary}`, byRotation: { text: `In one write, rekey saved ${code(ctx.backup)}, added ${prev} with the new value and left ${code(ctx.key)} as it is (Undo in the editor reverts it). ${p.summary}`, complete: true } }
    : { text: `In one write (backup ${code(ctx.backup)} first, Undo in the editor), rekey replaces ${code(ctx.key)} with the new value and moves the old one to ${prev}. ${p.summary}`, byRotation: { text: `In one write, rekey saved ${code(ctx.backup)}, replaced ${code(ctx.key)} with the new value and moved the old one to ${prev} (Undo in the editor reverts it). ${p.summary}`, complete: true } });
  steps.push({ text: `Wherever else the app gets its environment (hosting settings, a secrets manager, CI), set the same ${code(ctx.key)} and ${prev}: an instance without ${prev} rejects old sessions.`, needsNewValue: true });
  steps.push({ restart: true });
  steps.push({
    text: `rekey records the retire-by date (${p.retireBy}) in a ${code('# rekey-previous:')} comment above ${prev}; ${code('rekey scan')} and the editor report ${code('previous-secret-retirable')} from that day.`,
    byRotation: { text: `rekey recorded the retire-by date (${p.retireBy}) in a ${code('# rekey-previous:')} comment above ${prev}; the editor reports ${code('previous-secret-retirable')} from that day, with a quick fix that retires it.`, complete: true },
  });
  steps.push(sourceOfTruthStep(ctx));
  return steps;
}

/** Session-signing secrets: every session signed with the old value stops verifying, unless the framework keeps a previous secret. */
export const sessionSigningRunbook: KindRunbook = {
  kind: 'session-signing',
  intro: (ctx) => {
    const p = ctx.zeroLogout?.plan;
    const base = `${code(ctx.key)} signs session cookies or tokens. When the running app gets a new value, every session signed with the old one fails verification and its user is sent back to the login page, unless the framework still verifies with the old value.`;
    if (!p) return `${base} rekey found no session framework it knows for this key, so this rotation logs everyone out. Done by accident (a template regenerated, a deploy tool writing a fresh value), it is an outage that restoring the old value undoes.`;
    const lines = [base, '', `Framework: ${frameworkLine(p)}`, ''];
    if (ctx.zeroLogout?.chosen) {
      lines.push('**This rotation logs nobody out.** What will happen to existing sessions:');
      for (const k of p.keeps) lines.push(`- Will: ${k}`);
      for (const l of p.loses) lines.push(`- Will not: ${l}`);
    } else if (p.available) {
      lines.push(`${p.frameworkName} could keep existing sessions (${p.summary}), but this rotation was planned without it: every user signs in again once.`);
    } else {
      lines.push(`**This rotation logs everyone out.** ${p.summary}`);
      for (const l of p.loses) lines.push(`- ${l}`);
      if (p.manual) lines.push('', `To keep sessions next time, add this to ${p.manual.where}:`, '', `\`\`\`${p.manual.language}`, p.manual.snippet, '```');
    }
    return lines.join('\n');
  },
  steps: (ctx) => {
    const p = chosen(ctx);
    if (p) return zeroLogoutSteps(ctx, p);
    return [
      ctx.keepPrevious
        ? `The old value is kept as ${code(ctx.keepPrevious)}; rekey knows no framework that reads it, so make the app verify with it (new first, old second), or every user signs in again.`
        : 'Every user signs in again once: tell them when.',
      applyStep(ctx),
      { restart: true },
      `Optionally clear stored sessions (a sessions table or cache) so stale rows do not pile up; the app rejects their cookies anyway.`,
      sourceOfTruthStep(ctx),
    ];
  },
  verify: (ctx) => [
    ...(chosen(ctx) ? ['With a browser that signed in before the rotation: reload the app; you are still signed in. Sign in with a fresh browser too: new sessions work.'] : ['Sign in with a fresh browser session and use the app for a few requests: no 401, no redirect loop.']),
    `Every instance must sign with the same value, or sessions fail at random depending on which one answers:\n${fingerprintCheck(ctx, composeServices(ctx).slice(0, 4))}`,
    'If a login loops back to the login page: the cookie is probably not sent back (Secure cookie over plain HTTP, SameSite across a redirect, or a different hostname than the one the cookie was issued for), not a wrong secret.',
    logCheck(ctx),
  ],
  revoke: (ctx) => {
    const p = chosen(ctx);
    if (p) {
      return [
        p.layout === 'stage-indexed'
          ? `On or after ${p.retireBy}: ${code(`rekey retire-previous ${ctx.key} --file ${ctx.file}`)} moves the new value from ${code(p.previousKey ?? '')} into ${code(ctx.key)} and removes ${code(p.previousKey ?? '')} (same secrets, so nobody is logged out); the old value is gone from the file. Restart.`
          : `On or after ${p.retireBy}: ${code(`rekey retire-previous ${ctx.key} --file ${ctx.file}`)} removes ${code(p.previousKey ?? '')} (backup first), or use the quick fix on the ${code('previous-secret-retirable')} finding. Restart: sessions still signed with the old value are then rejected.`,
        `Delete ${code(ctx.backup)} and any other copy of the old value (old backups, secret-manager versions you no longer need).`,
      ];
    }
    return [
      ctx.keepPrevious
        ? `Remove ${code(ctx.keepPrevious)} and the app's fallback once the longest session lifetime has passed since the switch.`
        : 'Nothing to revoke at a provider: the old value stops working the moment every instance runs with the new one.',
      `Delete ${code(ctx.backup)} and any other copy of the old value (old backups, secret-manager versions you no longer need).`,
    ];
  },
  record: (ctx) => [chosen(ctx) ? `That nobody was logged out, and the day ${code(chosen(ctx)?.previousKey ?? '')} was retired.` : 'Whether users were logged out, or how long the dual-secret window lasted.'],
};
