import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at `/docs-json`, and its UI at `/docs` (no credential needed to read them). */
export function serveOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Impact ledger API')
    .setDescription(
      'Reports, provenance, publications, audits and proofs of the impact ledger (docs/api.md). ' +
        'Every route but /health needs an API key (`ledger keys create --role <role> --name <name>`), ' +
        'sent as `Authorization: Bearer <key>` or `X-Api-Key: <key>`: 401 without a valid one, 403 for a role the route does not allow.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API key: lk_<id>_<secret>' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'the same key, in a header of its own' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // /health is the one route without a credential.
  const health = document.paths['/health']?.get;
  if (health) health.security = [];
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
