import { Logger, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { CONTENT_TYPES, DASHBOARD_HEADERS, findDashboardFolder } from './dashboard-files';

/** The dashboard's headers on each file it sends: its own CSP, its type, revalidation. */
function setHeaders(response: ServerResponse, file: string): void {
  for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) response.setHeader(name, value);
  const type = CONTENT_TYPES[extname(file).toLowerCase()];
  if (type) response.setHeader('Content-Type', type);
}

/**
 * The committee's dashboard (apps/api/public), served by @nestjs/serve-static: `GET /` sends
 * index.html, `GET /assets/...` its scripts and styles. The page holds no figure (it reads them
 * from the API with the key the visitor gives), so it is served without one. Express's static
 * middleware refuses what the hand-written controller refused (a traversal, encoded or not, a
 * dot file, a folder, a missing file) by falling through to the API's 404.
 */
@Module({})
export class DashboardModule {
  static forRoot(folder: string | undefined = findDashboardFolder()): DynamicModule {
    if (!folder) {
      new Logger('Dashboard').warn('apps/api/public not found above this build: GET / answers 404');
      return { module: DashboardModule };
    }
    return {
      module: DashboardModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: folder,
          // index.html at `/` only (the library's default answers every unknown path with it).
          renderPath: '/',
          serveStaticOptions: {
            index: false,
            dotfiles: 'ignore',
            // Revalidated each time (ETag): a new version of the page is seen at once.
            cacheControl: false,
            etag: true,
            lastModified: true,
            redirect: false,
            fallthrough: true,
            setHeaders,
          },
        }),
      ],
    };
  }
}
