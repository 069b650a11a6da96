import { Controller, Get, Logger, NotFoundException, Param, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import { Public } from '../auth/roles.decorator';
import { findDashboardFolder, resolveAsset } from './dashboard-files';

/**
 * The page allows only its own scripts, styles and images, and talks only to this API:
 * nothing is loaded from elsewhere, no inline script runs, and it may not be framed.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Revalidated each time (ETag): a new version of the page is seen at once.
  'Cache-Control': 'no-cache',
};

/**
 * The committee's dashboard: `GET /` sends apps/api/public/index.html, `GET /assets/...`
 * its scripts and styles. The page itself holds no figure: it reads them from the API with
 * the key the visitor gives, so it is served without one.
 */
@Public()
@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly logger = new Logger('Dashboard');
  private readonly root: string | undefined;

  constructor() {
    this.root = findDashboardFolder();
    if (!this.root) this.logger.warn('apps/api/public not found above this build: GET / answers 503');
  }

  @Get()
  index(@Res() response: Response): void {
    const root = this.folder();
    this.send(response, join(root, 'index.html'), 'text/html; charset=utf-8');
  }

  @Get('assets/*path')
  asset(@Param('path') path: string | string[], @Res() response: Response): void {
    const segments = Array.isArray(path) ? path : String(path).split('/');
    const asset = resolveAsset(this.folder(), segments);
    if (!asset) throw new NotFoundException('no such dashboard file');
    this.send(response, asset.file, asset.contentType);
  }

  private folder(): string {
    if (!this.root) throw new ServiceUnavailableException('the dashboard files (apps/api/public) are not installed with this build');
    return this.root;
  }

  private send(response: Response, file: string, contentType: string): void {
    response.setHeader('Content-Type', contentType);
    for (const [name, value] of Object.entries(HEADERS)) response.setHeader(name, value);
    response.sendFile(file, { dotfiles: 'deny', lastModified: true, etag: true }, (error) => {
      if (!error || response.headersSent) return;
      response.status(404).json({ statusCode: 404, message: 'no such dashboard file' });
    });
  }
}
