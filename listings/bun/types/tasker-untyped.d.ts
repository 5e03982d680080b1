// Used only where @tasker-systems/tasker is not installed (tsconfig.without-tasker.json), so
// the compiler still checks the syntax and every type that does not come from the package.
// It declares no more of the package than was observed with its real types (the package
// built from its tagged source, outside this book's CI): StepHandler's static handlerName
// and handlerVersion and its `call` are members a handler overrides (TS4114 without
// `override`). Everything else the app imports is typed `any`, so it is not checked here.
declare module "@tasker-systems/tasker" {
  export type StepContext = any;
  export type StepHandlerResult = any;
  export class StepHandler {
    static handlerName: string;
    static handlerVersion: string;
    call(context: any): Promise<any>;
    // Everything else of the class is unchecked here.
    [member: string]: any;
  }
  // The decision point's base class: a StepHandler with decisionSuccess and friends.
  export class DecisionHandler extends StepHandler {}
  export type RustBatchWorkerInputs = any;
  export type RustCursorConfig = any;
  export const createBatches: any;
  export const ErrorType: any;
  export const WorkerServer: any;
}
