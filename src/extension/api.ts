import * as vscode from 'vscode';
import type { Finding } from '../core/findings/finding';
import type { Range } from '../core/text/lineIndex';
import type { LogMemory } from './log';
import type { MaskingController } from './masking/maskingController';
import type { MaskingStateController, MaskingStateView } from './masking/maskingStateController';
import type { EnvWorkspaceModel, PassTiming } from './model/workspaceModel';
import type { FileAnalysis, HistoryState } from './model/types';
import type { Notifier } from './notifier';
import type { Prompter } from './prompter';
import type { ViewsApi } from './views/register';

/** A finding as the API shows it: value-free by the findings' own contract. */
export interface ApiFinding {
  rule: string;
  severity: Finding['severity'];
  key?: string;
  kind?: string;
  message: string;
  range: Range;
}

/** A secret as the API shows it: key, kind, status and age, never the value. */
export interface ApiSecret {
  key: string;
  kind: string;
  confidence: string;
  suppressed: boolean;
  intervalDays: number;
  ageDays?: number;
  ageSource?: string;
  status?: string;
  /** Range of the value (what masking hides). */
  valueRange: Range;
}

export interface ApiFile {
  uri: string;
  relativePath: string;
  folder?: string;
  role: FileAnalysis['role'];
  error?: string;
  findings: ApiFinding[];
  secrets: ApiSecret[];
  backups: string[];
  backupOf?: string;
}

export interface ApiHistory {
  folder: string;
  status: HistoryState['status'];
  detail?: string;
  lastRun?: string;
}

/** Hooks for integration tests; present only when the extension runs under tests. */
export interface RekeyTestHooks {
  /** Answers for the next modal confirmations and quick picks (labels or ids; undefined cancels). */
  queueAnswers(answers: Array<string | undefined>): void;
  /** The prompts shown so far (value-free). */
  questions(): string[];
  /** Every text the prompts showed: questions, dialog details, quick pick items. */
  promptTexts(): string[];
}

/** The small API `activate()` returns; integration tests use it instead of importing internals. */
export interface RekeyApi {
  readonly version: string;
  /** How long `activate()` took, in milliseconds (measured inside it). */
  readonly activationMs: number;
  /** Where activation time went, by phase (milliseconds). */
  readonly activationPhases: Readonly<Record<string, number>>;
  /** Value-free views of the workspace model. */
  readonly model: {
    files(): ApiFile[];
    file(uri: vscode.Uri): ApiFile | undefined;
    history(): ApiHistory[];
    refresh(uri?: vscode.Uri): Promise<void>;
  };
  /** Resolves when no analysis is pending. */
  whenIdle(): Promise<void>;
  /** What rekey logged (most recent lines), for never-leak checks. */
  logLines(): string[];
  /** Texts of the notifications rekey showed. */
  notifications(): string[];
  readonly masking: {
    /** Whether masking is on for this document (setting and toggle). */
    enabled(uri: vscode.Uri): boolean;
    /** Ranges currently hidden in the visible editors of `uri` (never the text). */
    maskedRanges(uri: vscode.Uri): Range[];
    /** Keys currently revealed in `uri`. */
    revealedKeys(uri: vscode.Uri): string[];
    /** What the editor shows about the state: title button context key and status bar warning. */
    state(): MaskingStateView;
  };
  /** Timings of recent analyses (edit-to-diagnostics, git passes). */
  stats(): PassTiming[];
  /** The Secrets view, the status bar item and generated documents. */
  readonly views?: ViewsApi;
  readonly test?: RekeyTestHooks;
}

function toFinding(f: Finding): ApiFinding {
  const out: ApiFinding = { rule: f.rule, severity: f.severity, message: f.message, range: f.range };
  if (f.key !== undefined) out.key = f.key;
  if (f.kind !== undefined) out.kind = f.kind;
  return out;
}

function toFile(a: FileAnalysis): ApiFile {
  const out: ApiFile = {
    uri: a.uri.toString(),
    relativePath: a.relativePath,
    role: a.role,
    findings: a.findings.map(toFinding),
    secrets: a.secrets.map((s) => {
      const age = a.ages.get(s.entry.key);
      const secret: ApiSecret = {
        key: s.entry.key, kind: s.kind, confidence: s.confidence, suppressed: s.suppressed !== undefined, intervalDays: s.intervalDays, valueRange: s.entry.valueRange,
      };
      if (age) {
        secret.status = age.status;
        secret.ageSource = age.source;
        if (age.ageDays !== undefined) secret.ageDays = age.ageDays;
      }
      return secret;
    }),
    backups: [...a.backups],
  };
  if (a.folder) out.folder = a.folder.name;
  if (a.error) out.error = a.error;
  if (a.backupOf) out.backupOf = a.backupOf;
  return out;
}

export interface ApiParts {
  version: string;
  activationMs: number;
  activationPhases: Record<string, number>;
  model: EnvWorkspaceModel;
  logs: LogMemory;
  notifier: Notifier;
  prompter: Prompter;
  masking: MaskingController;
  maskingState: MaskingStateController;
  views?: ViewsApi | undefined;
  testMode: boolean;
}

export function createApi(p: ApiParts): RekeyApi {
  const api: RekeyApi = {
    version: p.version,
    activationMs: p.activationMs,
    activationPhases: p.activationPhases,
    model: {
      files: () => p.model.files().map(toFile),
      file: (uri) => {
        const a = p.model.get(uri);
        return a ? toFile(a) : undefined;
      },
      history: () =>
        p.model.history().map((h) => {
          const out: ApiHistory = { folder: h.folder.name, status: h.status };
          if (h.detail) out.detail = h.detail;
          if (h.lastRun) out.lastRun = h.lastRun.toISOString();
          return out;
        }),
      refresh: (uri) => p.model.refresh(uri),
    },
    whenIdle: () => p.model.whenIdle(),
    logLines: () => p.logs.snapshot(),
    notifications: () => p.notifier.shown(),
    masking: {
      enabled: (uri) => p.masking.isEnabled(uri),
      maskedRanges: (uri) => p.masking.maskedRanges(uri),
      revealedKeys: (uri) => p.masking.revealedKeys(uri),
      state: () => p.maskingState.state,
    },
    stats: () => p.model.stats(),
    ...(p.views ? { views: p.views } : {}),
  };
  if (p.testMode) {
    return { ...api, test: { queueAnswers: (a) => p.prompter.queueAnswers(a), questions: () => p.prompter.questions(), promptTexts: () => p.prompter.shownTexts() } };
  }
  return api;
}
