import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `.local/endpoints.json`, written by `npm start` when the local stack is ready. The inspector
 * reads the Step Functions URL, the region and the order API from it.
 */
export interface LocalEndpoints {
  stepFunctions?: string;
  orderApi?: string;
  region?: string;
  stage?: string;
  [key: string]: unknown;
}

/** Repository root/.local/endpoints.json, whatever the working directory. */
export const DEFAULT_ENDPOINTS_FILE = path.resolve(__dirname, '../../../../.local/endpoints.json');

/** The file's content, or undefined when it does not exist (the stack is not running). */
export function readEndpointsFile(file: string): LocalEndpoints | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} is not a JSON object`);
  }
  return parsed as LocalEndpoints;
}
