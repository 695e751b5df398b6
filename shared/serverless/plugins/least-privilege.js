'use strict';

/**
 * Completes serverless-iam-roles-per-function (list this plugin after it): every function must
 * declare its own `iamRoleStatements` (packaging fails otherwise), and the framework's shared
 * role, which then no function uses, is removed from the template instead of lingering with the
 * log permissions of every function.
 */
const DEFAULT_ROLE = 'IamRoleLambdaExecution';

class LeastPrivilege {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.requireOwnRoles(),
      'before:package:finalize': () => this.dropUnusedDefaultRole(),
    };
  }

  requireOwnRoles() {
    const service = this.serverless.service;
    const missing = service.getAllFunctions().filter((name) => !Array.isArray(service.getFunction(name).iamRoleStatements));
    if (missing.length > 0) {
      throw new this.serverless.classes.Error(
        `Every function gets its own IAM role: add iamRoleStatements (may be []) to ${missing.join(', ')}`,
      );
    }
  }

  dropUnusedDefaultRole() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    if (!template.Resources[DEFAULT_ROLE]) return;
    const { [DEFAULT_ROLE]: _role, ...others } = template.Resources;
    // resources.Resources of serverless.yml are merged only after this hook: look there too.
    const declared = this.serverless.service.resources ?? {};
    const stillUsed = JSON.stringify({ resources: others, outputs: template.Outputs ?? {}, declared }).includes(`"${DEFAULT_ROLE}"`);
    if (!stillUsed) delete template.Resources[DEFAULT_ROLE];
  }
}

module.exports = LeastPrivilege;
