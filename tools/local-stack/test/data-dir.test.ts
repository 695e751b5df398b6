import path from 'node:path';
import { REPO_ROOT, resolveConfig } from '../src/config';

describe('LOCAL_DATA_DIR', () => {
  it('defaults to .local/ of the repository; a relative or absolute folder inside it is taken as is', () => {
    expect(resolveConfig([], {}).dataDir).toBe(path.join(REPO_ROOT, '.local'));
    expect(resolveConfig([], { LOCAL_DATA_DIR: '.local/other' }).endpointsFile).toBe(path.join(REPO_ROOT, '.local', 'other', 'endpoints.json'));
    expect(resolveConfig([], { LOCAL_DATA_DIR: path.join(REPO_ROOT, 'data') }).dataDir).toBe(path.join(REPO_ROOT, 'data'));
  });

  it.each(['/tmp/stack-data', '../elsewhere'])('outside the repository (%s) is refused with a clear error', (dir) => {
    expect(() => resolveConfig([], { LOCAL_DATA_DIR: dir })).toThrow(/LOCAL_DATA_DIR must be a folder inside the repository/);
  });
});
