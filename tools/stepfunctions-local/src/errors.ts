/**
 * API errors in the AWS JSON 1.0 shape. The SDK maps `__type` to an exception class of the same
 * name, so the codes here are exactly the ones in the Step Functions API reference.
 */
export type ErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionNotRedrivable'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidToken'
  | 'MissingRequiredParameter'
  | 'SerializationException'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'StateMachineTypeNotSupported'
  | 'UnknownOperationException'
  | 'ValidationException'
  | 'InternalFailure';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }

  toBody(): { __type: string; message: string } {
    return { __type: this.code, message: this.message };
  }
}

// Message texts follow what AWS returns, so logs and tests read the same as against the cloud.
export const errors = {
  invalidArn: (reason: string) => new ApiError('InvalidArn', `Invalid Arn: '${reason}'`),
  stateMachineDoesNotExist: (arn: string) =>
    new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  stateMachineAlreadyExists: (arn: string) =>
    new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`),
  executionDoesNotExist: (arn: string) =>
    new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string) =>
    new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  executionNotRedrivable: (reason: string) => new ApiError('ExecutionNotRedrivable', reason),
  invalidDefinition: (reason: string) =>
    new ApiError('InvalidDefinition', `Invalid State Machine Definition: '${reason}'`),
  invalidExecutionInput: (reason: string) =>
    new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${reason}'`),
  invalidName: (name: string) => new ApiError('InvalidName', `Invalid Name: '${name}'`),
  invalidToken: (token: string) => new ApiError('InvalidToken', `Invalid Token: '${token}'`),
  typeNotSupported: () =>
    new ApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine'),
  validation: (message: string) => new ApiError('ValidationException', message),
};
