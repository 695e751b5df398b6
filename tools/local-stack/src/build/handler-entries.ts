import path from 'node:path';
import type { CfnTemplate } from '../provision/template';

/** One function's handler as the local stack builds it. */
export interface HandlerEntry {
  /** The deployed name, `<service>-<stage>-<fn>`. */
  functionName: string;
  /** `src/handlers/createOrder`: the module part of the template's Handler, relative to the service folder. */
  module: string;
  /** The TypeScript source, absolute. */
  source: string;
  /** Where serverless-offline loads it: `<service copy>/.esbuild/.build/<module>.js`, absolute. */
  output: string;
}

/** serverless-esbuild's work and build folders, where serverless-offline looks for handlers. */
const BUILD_FOLDER = path.join('.esbuild', '.build');

/**
 * The handlers of one packaged template: every AWS::Lambda::Function's `Handler`
 * (`src/handlers/createOrder.handler`) as a source in the service folder and an output in the
 * stack's copy of it. Reading the template (not a folder listing) builds exactly what deploys.
 */
export function handlerEntries(template: CfnTemplate, sourceDir: string, runDir: string): HandlerEntry[] {
  const entries: HandlerEntry[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const handler = resource.Properties?.Handler;
    const functionName = resource.Properties?.FunctionName;
    if (typeof handler !== 'string' || typeof functionName !== 'string') continue;
    const module = handler.slice(0, handler.lastIndexOf('.'));
    entries.push({
      functionName,
      module,
      source: path.join(sourceDir, `${module}.ts`),
      output: path.join(runDir, BUILD_FOLDER, `${module}.js`),
    });
  }
  return entries.sort((a, b) => a.functionName.localeCompare(b.functionName));
}
