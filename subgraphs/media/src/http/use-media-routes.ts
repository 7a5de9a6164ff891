import express, { type Express, type Request, type Response } from 'express';
import { asSystem } from '@stockline/db';
import type { Logger } from '@stockline/observability';
import { UploadRefusal } from '../domain/inspect-upload.ts';
import type { MediaDeliveryService } from '../domain/media-delivery.service.ts';
import { UploadProblem, type MediaUploadService, type UploadOutcome } from '../domain/media-upload.service.ts';
import { MEDIA_PATH, checkUploadSignature } from '../domain/media-urls.ts';
import type { Deliverable } from '../domain/media-delivery.service.ts';
import { readBody } from './read-body.ts';
import { sendDeliverable } from './send-deliverable.ts';

/** HTTP status of each way an upload PUT can fail. */
const STATUS: Record<UploadRefusal | UploadProblem, number> = {
  [UploadRefusal.SizeMismatch]: 422,
  [UploadRefusal.ContentTypeMismatch]: 415,
  [UploadRefusal.Undecodable]: 422,
  [UploadProblem.TooLarge]: 413,
  [UploadProblem.NotFound]: 404,
  [UploadProblem.InProgress]: 409,
  [UploadProblem.AlreadyUploaded]: 409,
  [UploadProblem.NoBytes]: 400,
};

const SHA = '[0-9a-f]{64}';
const ORIGINAL = new RegExp(`^${MEDIA_PATH}/([0-9a-f-]{36})/(${SHA})\\.(png|jpg|webp|gif)$`);
const THUMBNAIL = new RegExp(`^${MEDIA_PATH}/([0-9a-f-]{36})/(${SHA})/w(\\d{1,5})\\.webp$`);

/**
 * The media service's HTTP surface beside /graphql (the gateway proxies `/media/*` here):
 * `GET|HEAD /media/<id>/<sha256>.<ext>` and `/media/<id>/<sha256>/w<width>.webp` serve bytes;
 * `PUT /media/uploads/<id>?expires&signature` takes the filesystem backend's uploads. Errors are
 * JSON `{ code, message }`.
 */
export function useMediaRoutes(app: Express, { uploads, delivery, signingKey, logger }: {
  uploads: MediaUploadService;
  delivery: MediaDeliveryService;
  signingKey: string;
  logger: Logger;
}): void {
  const fail = (res: Response, status: number, code: string, message: string) => res.status(status).json({ code, message });

  const serve = (find: (m: RegExpExecArray) => Promise<Deliverable | null>, pattern: RegExp) => async (req: Request, res: Response) => {
    const match = pattern.exec(req.path);
    if (!match) return void fail(res, 404, 'NOT_FOUND', 'No such media');
    const item = await find(match);
    if (!item) return void fail(res, 404, 'NOT_FOUND', 'No such media');
    await sendDeliverable(req, res, item);
  };

  const router = express.Router();
  // These URLs carry no tenant: the media id (and the upload URL's signature) is the credential, so
  // the lookup by id runs on the owner's connection (asSystem), as before row-level security.
  router.use((_req, _res, next) => asSystem('media URLs are looked up by id, whatever the tenant', next));
  router.get(THUMBNAIL, wrap(serve((m) => delivery.thumbnail(m[1], m[2], Number(m[3])), THUMBNAIL)));
  router.get(ORIGINAL, wrap(serve((m) => delivery.original(m[1], m[2]), ORIGINAL)));

  router.put(`${MEDIA_PATH}/uploads/:id`, wrap(async (req, res) => {
    const id = String(req.params.id);
    const signature = checkUploadSignature(signingKey, id, req.query.expires, req.query.signature);
    if (signature !== 'ok') {
      req.resume();
      return void fail(res, 403, signature === 'expired' ? 'UPLOAD_URL_EXPIRED' : 'UPLOAD_URL_INVALID', `The upload URL is ${signature}`);
    }
    const upload = await uploads.findUpload(id);
    if (!upload || upload.status !== 'PENDING') {
      req.resume();
      const code = !upload ? UploadProblem.NotFound : upload.status === 'READY' ? UploadProblem.AlreadyUploaded : UploadProblem.InProgress;
      return void fail(res, STATUS[code], code, `Upload ${id} is not waiting for bytes`);
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    let outcome: UploadOutcome;
    if (contentType !== upload.contentType) {
      req.resume();
      outcome = await uploads.refuseUpload(id, UploadRefusal.ContentTypeMismatch, `Content-Type "${contentType}" differs from the declared ${upload.contentType}`);
    } else {
      const body = await readBody(req, upload.byteSize);
      outcome = body === 'too-large'
        ? await uploads.refuseUpload(id, UploadRefusal.SizeMismatch, `more than the ${upload.byteSize} bytes declared were sent`)
        : await uploads.receiveUpload(id, body);
    }
    if (!outcome.ok) return void fail(res, STATUS[outcome.code], outcome.code, outcome.message);
    const { media } = outcome;
    res.status(200).json({ id: media.id, sha256: media.sha256, byteSize: media.byteSize, width: media.width, height: media.height, contentType: media.contentType });
  }));

  app.use(router);

  function wrap(handler: (req: Request, res: Response) => Promise<void>) {
    return (req: Request, res: Response) => {
      handler(req, res).catch((err) => {
        logger.error({ err, path: req.path }, 'media request failed');
        if (!res.headersSent) fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error');
        else res.destroy();
      });
    };
  }
}
