// The greeting workflow's steps. The worker calls each class by its `handlerName`, which
// is the `callable` the task template names.
import {
  ErrorType,
  type StepContext,
  StepHandler,
  type StepHandlerResult,
} from "@tasker-systems/tasker";

export class ComposeGreeting extends StepHandler {
  static override handlerName = "Greeting.ComposeGreeting";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const name = context.getInput("name");
    if (typeof name !== "string" || name === "") {
      return this.failure("the task has no name", ErrorType.VALIDATION_ERROR, false);
    }
    return this.success({ greeting: `Hello, ${name}!` });
  }
}

export class DeliverGreeting extends StepHandler {
  static override handlerName = "Greeting.DeliverGreeting";

  override async call(context: StepContext): Promise<StepHandlerResult> {
    const composed = context.getDependencyResult("compose_greeting") as {
      greeting: string;
    };
    return this.success({ delivered: composed.greeting });
  }
}
