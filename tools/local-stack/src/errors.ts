/**
 * Errors that stop `npm start` with a message a person can act on: what failed, and what to do.
 * Anything else that escapes is a bug and is printed with its stack.
 */
export class StackStartError extends Error {
  override readonly name: string = 'StackStartError';
  constructor(
    message: string,
    /** The next step for the person at the keyboard. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class JavaMissingError extends StackStartError {
  override readonly name = 'JavaMissingError';
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer: ${detail}`,
      'Install a Java 17+ runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) ' +
        'or point JAVA_HOME at one, then run npm start again.',
    );
  }
}

export class PortInUseError extends StackStartError {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly component: string,
    envName: string,
  ) {
    super(
      `Port ${port} (${component}) is already in use by another process.`,
      `Stop that process (e.g. \`lsof -i :${port}\` or \`ss -ltnp 'sport = :${port}'\` shows it), or choose other ports: ` +
        `LOCAL_PORT_BASE=4100 npm start moves every port of the stack (default base 3100), ` +
        `or ${envName}=<port> npm start moves this one.`,
    );
  }
}

export class ComponentStartError extends StackStartError {
  override readonly name = 'ComponentStartError';
  constructor(
    readonly component: string,
    detail: string,
    logFile?: string,
  ) {
    super(`${component} failed to start: ${detail}`, logFile ? `Its full output is in ${logFile}` : undefined);
  }
}

export class StackAlreadyRunningError extends StackStartError {
  override readonly name = 'StackAlreadyRunningError';
  constructor(pid: number, endpointsFile: string) {
    super(
      `A local stack is already running (pid ${pid}); its endpoints are in ${endpointsFile}.`,
      `Stop it first (Ctrl-C in its terminal, or kill ${pid}), or run this one on other ports with LOCAL_PORT_BASE=4100 LOCAL_DATA_DIR=.local-2.`,
    );
  }
}
