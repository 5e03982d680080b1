// Used only where @tasker-systems/tasker is not installed (tsconfig.without-tasker.json).
// It names what this app imports from the package and types every one of them `any`, so the
// compiler checks the syntax and every type that does not come from the package, and nothing
// that does. It describes none of the package's API.
declare module "@tasker-systems/tasker" {
  export type StepContext = any;
  export type StepHandlerResult = any;
  export const StepHandler: any;
  export const ErrorType: any;
  export const WorkerServer: any;
}
