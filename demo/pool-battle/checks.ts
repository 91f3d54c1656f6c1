/** One thing the battle test verified, passed or not, with the figures behind it. */
export interface Check {
  readonly scenario: string;
  readonly description: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** The checks of one part of the battle test, in the order they were made. */
export class CheckList {
  readonly scenario: string;
  readonly #checks: Check[] = [];

  constructor(scenario: string) {
    this.scenario = scenario;
  }

  check(description: string, passed: boolean, detail = ''): Check {
    const check = { scenario: this.scenario, description, passed, detail };
    this.#checks.push(check);
    return check;
  }

  get checks(): readonly Check[] {
    return this.#checks;
  }
}

const DESCRIPTION_WIDTH = 60;

/** `✔ description ........ detail`, aligned. */
export function formatCheck(check: Check): string {
  const mark = check.passed ? '✔' : '✘';
  const description = check.description.length >= DESCRIPTION_WIDTH ? `${check.description} ` : check.description.padEnd(DESCRIPTION_WIDTH);
  return `  ${mark} ${description}${check.detail}`.trimEnd();
}

/**
 * The closing lines: how many checks passed, and each failed one by name.
 * Returns the exit code the battle test must end with (1 if any failed).
 */
export function renderVerdict(checks: readonly Check[]): { readonly lines: readonly string[]; readonly exitCode: 0 | 1 } {
  const failed = checks.filter((check) => !check.passed);
  if (failed.length === 0) return { lines: [`✔ pool battle test: all ${String(checks.length)} checks passed`], exitCode: 0 };
  return {
    lines: [
      `✘ pool battle test FAILED: ${String(failed.length)} of ${String(checks.length)} checks failed`,
      ...failed.map((check) => `  ✘ [${check.scenario}] ${check.description}${check.detail === '' ? '' : `: ${check.detail}`}`),
    ],
    exitCode: 1,
  };
}
