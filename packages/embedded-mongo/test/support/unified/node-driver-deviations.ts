/**
 * CRUD spec tests that assert behaviour of the driver rather than of the server, where the Node.js
 * driver deliberately differs from the spec (the driver's own spec runner skips them for the same
 * tickets). They say nothing about the server under test, so the conformance run skips them.
 */
export const NODE_DRIVER_DEVIATIONS: ReadonlyMap<string, string> = new Map([
  ...[
    'inserting _id with type null via insertOne',
    'inserting _id with type null via insertMany',
    'inserting _id with type null via bulkWrite',
    'inserting _id with type null via clientBulkWrite',
  ].map(
    (test) =>
      [test, 'Node driver replaces a null _id with a generated ObjectId before sending (NODE-6468)'] as const,
  ),
  ...[
    'InsertMany passes bypassDocumentValidation: false',
    'FindOneAndUpdate passes bypassDocumentValidation: false',
    'FindOneAndReplace passes bypassDocumentValidation: false',
    'BulkWrite passes bypassDocumentValidation: false',
    'Aggregate with $out passes bypassDocumentValidation: false',
  ].map(
    (test) => [test, 'Node driver omits bypassDocumentValidation: false from commands (NODE-6484)'] as const,
  ),
]);
