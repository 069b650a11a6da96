import { Global, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { LedgerEnvironment } from './ledger-environment';
import { validateEnvironment } from './ledger-environment';
import { LEDGER_ENVIRONMENT } from './ledger-environment.token';

/** The key the validated environment is kept under in ConfigService. */
const KEY = 'ledger';

/**
 * `@nestjs/config`, with the environment validated against LedgerEnvironment (ConfigModule's
 * `validate`), once, when the application is built. The validated object is returned under one
 * key: ConfigModule copies the top-level strings and numbers `validate` returns into
 * process.env, and the defaults must not leak there (a child process would inherit them).
 */
@Global()
@Module({})
export class LedgerConfigModule {
  /**
   * The module, and the environment it holds (createApp opens the store with it before the
   * application exists). `given`: an environment already validated (the CLI checks it first).
   * Throws ConfigurationError naming the variables refused.
   */
  static async load(given?: LedgerEnvironment): Promise<{ module: DynamicModule; environment: LedgerEnvironment }> {
    let environment = given;
    const config = await ConfigModule.forRoot({
      ignoreEnvFile: true,
      validate: (raw) => {
        environment = given ?? validateEnvironment(raw);
        return { [KEY]: environment };
      },
    });
    if (!environment) throw new Error('ConfigModule did not validate the environment');
    return {
      environment,
      module: {
        module: LedgerConfigModule,
        global: true,
        imports: [config],
        providers: [{ provide: LEDGER_ENVIRONMENT, inject: [ConfigService], useFactory: (service: ConfigService) => service.getOrThrow<LedgerEnvironment>(KEY) }],
        exports: [LEDGER_ENVIRONMENT],
      },
    };
  }
}
