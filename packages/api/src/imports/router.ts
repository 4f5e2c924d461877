import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/**
 * Budget imports (README "Budget imports"). Anyone signed in may import into what they may edit;
 * access to the target is decided per object in policy/ (NOT_FOUND for what they cannot read), and
 * an import is only ever visible to the person who started it.
 *
 * `start` takes an upload as multipart/form-data (`importFormData(file, name, { target, options })`,
 * sent through httpLink, not the batch link) or a Google Sheets link as JSON. `startJson` is the
 * REST API's start (POST /imports), all JSON since trpc-to-openapi publishes no multipart: a link,
 * a file as base64 (checked and stored as an upload is), or a JSON budget document inline.
 */
export const importsRouter = {
  start: authedProcedure.input(schema.startInput).mutation(({ ctx, input }) => service.start(ctx, input)),
  startJson: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/imports',
        tags: ['Imports'],
        protect: true,
        summary: 'Start an import',
        description:
          'Starts a budget import from a file sent as base64 (source.kind "file": an Excel workbook .xlsx, a CSV file or a JSON budget document, with its name; what it is is read from its content, as for an upload in the app), from a JSON budget document sent inline (source.kind "document", the format of budget-import.schema.json) or from a Google Sheets link (source.kind "google"; a private sheet needs the person\'s Google OAuth token in source.accessToken, used once and not stored). The target is a new budget under a goal, an existing budget (replace or merge) or a forecast\'s forecast or actual figures. Nothing is written yet: the answer is the import, queued; poll GET /imports/{importId} until its state is "ready" (the dry run: what would be imported, the rejected cells, the changes), then commit it, or read the report. Needs a write token and edit access to the target. A file or document over the upload limit (IMPORT_MAX_BYTES, measured on the decoded bytes) answers 413.',
        errorResponses: {
          400: 'Invalid input data (such as contentBase64 that is not base64), a file that is not a workbook, CSV or JSON, or a link that is not a Google Sheets link',
          401: 'No valid token',
          403: 'A read token, or a budget that is not open for changes',
          404: 'No such goal, budget or forecast (or not readable)',
          413: 'The file or document is larger than the upload limit',
        },
      },
    })
    .input(schema.startJsonInput)
    .output(schema.importView)
    .mutation(({ ctx, input }) => service.startJson(ctx, input)),
  get: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/imports/{importId}',
        tags: ['Imports'],
        protect: true,
        summary: 'Read an import and its dry run',
        description:
          'The import\'s state and progress, and once the file was read (state "ready") its dry run: the mapping, the first 100 lines as they will be imported, the first 100 rejected cells (rejectedTotal counts them all), totals that do not add up, the changes to an existing budget, and whether it can be committed (canCommit; needsSkipRejected when cells were rejected). After the commit, result says what was written. Amounts are strings of integer minor units. Only the person who started an import can read it.',
      },
    })
    .input(schema.importId)
    .output(schema.importView)
    .query(({ ctx, input }) => service.get(ctx, input)),
  list: authedProcedure.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  rejected: authedProcedure.input(schema.rejectedInput).query(({ ctx, input }) => service.rejected(ctx, input)),
  report: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/imports/{importId}/report',
        tags: ['Imports'],
        protect: true,
        summary: "Read an import's report as CSV",
        description:
          'Every rejected cell (its coordinate, row, column, the rule it broke, its value and why), then every total that does not add up, as CSV text in csv, with the file name to save it under. Values that a spreadsheet would run as formulas are prefixed with an apostrophe. Answers 409 until the file was read.',
      },
    })
    .input(schema.importId)
    .output(schema.reportOutput)
    .query(({ ctx, input }) => service.reportCsv(ctx, input)),
  remap: authedProcedure.input(schema.remapInput).mutation(({ ctx, input }) => service.remap(ctx, input)),
  commit: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/imports/{importId}/commit',
        tags: ['Imports'],
        protect: true,
        summary: 'Commit an import',
        description:
          'Writes the dry run\'s valid rows, in one transaction run by a job: the answer is the import, importing; poll GET /imports/{importId} until it is "done" (result says what was written) or "failed". When cells were rejected, skipRejected: true says to leave them out. Answers 409 when the import is not ready, cannot be imported as read (parse.problems), or has rejected cells without skipRejected. Needs a write token and edit access to the target.',
        errorResponses: {
          400: 'Invalid input data',
          401: 'No valid token',
          403: 'A read token, or no edit access',
          404: 'No such import',
          409: 'Not ready, blocked, or rejected cells without skipRejected',
        },
      },
    })
    .input(schema.commitInput)
    .output(schema.importView)
    .mutation(({ ctx, input }) => service.commit(ctx, input)),
  cancel: authedProcedure.input(schema.importId).mutation(({ ctx, input }) => service.cancel(ctx, input)),
} satisfies TRPCRouterRecord;
