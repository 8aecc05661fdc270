/** What `hookgraph` exits with; scripts may rely on these (README, "Command line"). */
export const ExitCode = {
  OK: 0,
  /** The server refused the work: userErrors, refused rows, a failed test send, GraphQL errors. */
  FAILURE: 1,
  /** The command line or the configuration is wrong (unknown command, bad option, bad JSON). */
  USAGE: 2,
  /** The server was not reached, or refused the key (missing, unknown, revoked, wrong role). */
  AUTH_OR_NETWORK: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI explains in one line on stderr and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, ExitCode.USAGE);
