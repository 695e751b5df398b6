import { loadTemplate, resourcesOfType } from './templates';

// The identity provider and the authorizer that trusts it exist on the AWS stages only in their
// packaged templates (the global setup packages every stage with no AWS credentials; the issuer is
// resolved by CloudFormation at deploy, not by the framework).
test('dev: the platform has the user pool and its clients; the inventory API trusts them through SSM', () => {
  const platform = loadTemplate('platform', 'dev');
  const inventory = loadTemplate('inventory', 'dev');

  const types = Object.values(platform.Resources).map((r) => r.Type);
  expect(types).toEqual(expect.arrayContaining(['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolDomain', 'AWS::Cognito::UserPoolResourceServer', 'AWS::Cognito::UserPoolClient']));
  expect(platform.Resources.UserPool!.Properties?.UserPoolName).toBe('platform-dev-users');
  const parameters = resourcesOfType(platform, 'AWS::SSM::Parameter').map(([, p]) => p.Properties!.Name);
  for (const name of ['issuer', 'customer-client-id', 'operator-client-id']) expect(parameters).toContain(`/order-platform/dev/auth/${name}`);

  const authorizers = resourcesOfType(inventory, 'AWS::ApiGatewayV2::Authorizer');
  expect(authorizers).toHaveLength(1);
  expect(authorizers[0]![1].Properties?.JwtConfiguration).toEqual({
    Issuer: '{{resolve:ssm:/order-platform/dev/auth/issuer}}',
    Audience: ['{{resolve:ssm:/order-platform/dev/auth/customer-client-id}}', '{{resolve:ssm:/order-platform/dev/auth/operator-client-id}}'],
  });
  expect(JSON.stringify([platform, inventory])).not.toMatch(/REPLACEME/i);
});
