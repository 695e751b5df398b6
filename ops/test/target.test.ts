import path from 'node:path';
import { clientConfig, endpointsFilePath, REPO_ROOT, resolveTarget, TargetError } from '../src/target';

const endpoints = JSON.stringify({ sqs: 'http://127.0.0.1:3301', dynamodb: 'http://127.0.0.1:3300', stepFunctions: 'http://127.0.0.1:3302', region: 'eu-west-1' });

test('local: the endpoints of the running stack, with emulator credentials', () => {
  const target = resolveTarget({}, {}, () => endpoints);
  expect(target).toMatchObject({ stage: 'local', kind: 'local-stack', region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  expect(clientConfig(target, 'sqs')).toEqual({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:3301', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

test('an AWS stage: the default chain and region, no endpoints', () => {
  const target = resolveTarget({ stage: 'prod' }, { AWS_REGION: 'us-east-1' }, () => {
    throw new Error('the endpoints file is not read for AWS');
  });
  expect(target).toMatchObject({ stage: 'prod', kind: 'aws', region: 'us-east-1' });
  expect(clientConfig(target, 'dynamodb')).toEqual({ region: 'us-east-1' });
  expect(resolveTarget({ stage: 'dev', region: 'eu-central-1' }, {}).region).toBe('eu-central-1');
  expect(resolveTarget({ stage: 'dev' }, {}).region).toBe('eu-west-1');
});

test('the endpoints file: LOCAL_ENDPOINTS_FILE, else LOCAL_DATA_DIR, else .local/', () => {
  expect(endpointsFilePath({ LOCAL_ENDPOINTS_FILE: '/x/e.json', LOCAL_DATA_DIR: '/d' })).toBe('/x/e.json');
  expect(endpointsFilePath({ LOCAL_DATA_DIR: '/d' })).toBe('/d/endpoints.json');
  expect(endpointsFilePath({})).toBe(path.join(REPO_ROOT, '.local', 'endpoints.json'));
});

test('no stack running, a bad file or a bad stage name are clear errors', () => {
  const missing = () => {
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };
  expect(() => resolveTarget({}, {}, missing)).toThrow(TargetError);
  expect(() => resolveTarget({}, {}, missing)).toThrow(/No local stack is running.*npm start.*--stage/);
  expect(() => resolveTarget({}, {}, () => '{')).toThrow(/not readable JSON/);
  expect(() => resolveTarget({ stage: 'Prod Stage' }, {})).toThrow(/--stage must be a stage name/);
});
