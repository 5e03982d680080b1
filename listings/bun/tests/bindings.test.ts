// The names that bind the code to the task templates, checked from the source (the worker
// that would resolve them at run time cannot be installed here): every template callable
// has exactly one handler class whose `handlerName` is that callable, no handler is
// orphaned, the worker registers every handler class, and every step a handler reads with
// getDependencyResult("…") is upstream of the step that handler runs (a dependency, or a
// dependency's dependency: Tasker hands a step the results of all of them).

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Glob } from "bun";
import ts from "typescript";

const root = new URL("..", import.meta.url).pathname;

interface Handler {
  className: string;
  file: string;
  handlerName?: string;
  base?: string;
  reads: string[];
}

/** Every class in the handler sources, with its static handlerName, its base class and the
 *  step names it reads (string literals passed to getDependencyResult). */
function handlerClasses(): Map<string, Handler> {
  const classes = new Map<string, Handler>();
  for (const file of new Glob("src/handlers/*.ts").scanSync(root)) {
    const source = ts.createSourceFile(
      file,
      readFileSync(`${root}${file}`, "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node, current?: Handler) => {
      let handler = current;
      if (ts.isClassDeclaration(node) && node.name) {
        const base = node.heritageClauses?.[0]?.types[0]?.expression.getText(source);
        handler = { className: node.name.text, file, base, reads: [] };
        classes.set(handler.className, handler);
      }
      if (
        handler &&
        ts.isPropertyDeclaration(node) &&
        node.name.getText(source) === "handlerName" &&
        node.initializer &&
        ts.isStringLiteral(node.initializer)
      ) {
        handler.handlerName = node.initializer.text;
      }
      if (
        handler &&
        ts.isCallExpression(node) &&
        node.expression.getText(source).endsWith("getDependencyResult")
      ) {
        const [first] = node.arguments;
        if (first && ts.isStringLiteral(first)) handler.reads.push(first.text);
        else if (first) handler.reads.push(`<computed: ${first.getText(source)}>`);
      }
      ts.forEachChild(node, (child) => visit(child, handler));
    };
    visit(source);
  }
  return classes;
}

/** What a handler reads, including through the classes it extends (inside this code). */
function readsOf(handler: Handler, classes: Map<string, Handler>): string[] {
  const parent = handler.base ? classes.get(handler.base) : undefined;
  return [...handler.reads, ...(parent ? readsOf(parent, classes) : [])];
}

interface TemplateStep {
  name: string;
  handler: { callable: string };
  dependencies?: string[];
}

/** The steps upstream of `name`: its dependencies, theirs, and so on. */
function upstream(name: string, steps: TemplateStep[]): Set<string> {
  const found = new Set<string>();
  const visit = (step: string) => {
    for (const dep of steps.find((s) => s.name === step)?.dependencies ?? []) {
      if (!found.has(dep)) {
        found.add(dep);
        visit(dep);
      }
    }
  };
  visit(name);
  return found;
}

test("every template callable has exactly one handler, and reads are upstream", () => {
  const classes = handlerClasses();
  const named = [...classes.values()].filter((h) => h.handlerName !== undefined);
  const problems: string[] = [];
  const used = new Set<string>();
  for (const file of new Glob("templates/*.yaml").scanSync(root)) {
    const template = Bun.YAML.parse(readFileSync(`${root}${file}`, "utf8"));
    const steps = (template as { steps: TemplateStep[] }).steps;
    for (const step of steps) {
      const matches = named.filter((h) => h.handlerName === step.handler.callable);
      if (matches.length !== 1) {
        const found = matches.map((h) => h.className).join(", ") || "none";
        problems.push(
          `${file}: ${step.name} names ${step.handler.callable}; handlers: ${found}`,
        );
        continue;
      }
      const [handler] = matches as [Handler];
      used.add(handler.className);
      const before = upstream(step.name, steps);
      for (const read of readsOf(handler, classes)) {
        if (!before.has(read)) {
          const names = [...before].join(", ") || "none";
          problems.push(
            `${handler.file}: ${handler.className} reads "${read}", not upstream of ` +
              `${step.name} (${names})`,
          );
        }
      }
    }
  }
  for (const h of named) {
    if (!used.has(h.className)) {
      problems.push(`${h.file}: ${h.className} (${h.handlerName}) runs no template step`);
    }
  }
  expect(problems).toEqual([]);
  expect(used.size).toBe(23);
});

test("the worker registers every handler class", () => {
  const worker = readFileSync(`${root}src/worker.ts`, "utf8") as string;
  for (const file of new Glob("src/handlers/*.ts").scanSync(root)) {
    const text = readFileSync(`${root}${file}`, "utf8");
    const listName =
      /export const (\w+Handlers) = \[/.exec(text)?.[1] ?? `<none in ${file}>`;
    expect(worker).toContain(`...${listName}`);
    const list = /export const \w+Handlers = \[([^\]]*)\]/.exec(text)?.[1] ?? "";
    const listed = new Set(
      list
        .split(",")
        .map((s: string) => s.trim())
        .filter(Boolean),
    );
    const exported = [...text.matchAll(/export class (\w+) extends/g)].map(
      (m) => m[1] ?? "",
    );
    expect([...listed].sort()).toEqual(exported.sort());
  }
});
