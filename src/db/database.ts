import mongoose, { type Connection } from 'mongoose';
import { MongoBackend } from '@agendajs/mongo-backend';
import { assetModel } from './models/asset.model.js';
import { catalogLineModel } from './models/catalog-line.model.js';
import { MongoCatalogLines } from './repositories/mongo-catalog-lines.js';
import { personModel } from './models/person.model.js';
import { backfillAssetSearchKeys, MongoAssetRepository } from './repositories/mongo-asset-repository.js';
import { MongoPersonRepository } from './repositories/mongo-person-repository.js';
import { notificationModel } from './models/notification.model.js';
import { requestModel } from './models/request.model.js';
import { transferModel } from './models/transfer.model.js';
import { MongoNotificationLedger } from './repositories/mongo-notification-ledger.js';
import { MongoRequestRepository } from './repositories/mongo-request-repository.js';
import { MongoTransferRepository } from './repositories/mongo-transfer-repository.js';
import type {
  AssetRepository,
  NotificationLedger,
  PersonRepository,
  RequestRepository,
  TransferRepository,
} from '../services/ports.js';

export interface Database {
  connection: Connection;
  repositories: {
    assets: AssetRepository;
    people: PersonRepository;
    requests: RequestRepository;
    transfers: TransferRepository;
    notifications: NotificationLedger;
  };
  /** Agenda's storage, on the same connection pool as everything else. */
  agendaBackend: MongoBackend;
  /**
   * Recomputes what is derived from the assets (search keys, catalog and stock summaries) for records
   * written behind the application's back: bulk seeding in benchmarks, restores, migrations.
   */
  rebuildDerivedData(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects, builds every model and waits until their indexes exist (unique rules hold from the first write). */
export async function openDatabase(
  uri: string,
  options: { serverSelectionTimeoutMS?: number; monitorCommands?: boolean } = {},
): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    autoIndex: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    // Benchmarks count database round trips per interaction through command monitoring.
    monitorCommands: options.monitorCommands ?? false,
  });
  await connection.asPromise();
  const assets = assetModel(connection);
  const people = personModel(connection);
  const requests = requestModel(connection);
  const transfers = transferModel(connection);
  const notifications = notificationModel(connection);
  const catalogLines = catalogLineModel(connection);
  await Promise.all([
    assets.init(),
    people.init(),
    requests.init(),
    transfers.init(),
    notifications.init(),
    catalogLines.init(),
  ]);
  const lines = new MongoCatalogLines(catalogLines, assets);
  // Assets written before search keys existed get them before the first search.
  await backfillAssetSearchKeys(assets);
  // The first start after catalog lines were introduced counts them once from the assets.
  if ((await lines.isEmpty()) && (await assets.exists({}))) await lines.rebuild(new Date());
  const db = connection.getClient().db(connection.name);
  return {
    connection,
    repositories: {
      assets: new MongoAssetRepository(assets, lines),
      people: new MongoPersonRepository(people),
      requests: new MongoRequestRepository(requests),
      transfers: new MongoTransferRepository(transfers),
      notifications: new MongoNotificationLedger(notifications),
    },
    agendaBackend: new MongoBackend({ mongo: db, collection: 'jobs' }),
    async rebuildDerivedData() {
      await backfillAssetSearchKeys(assets);
      await lines.rebuild(new Date());
    },
    async ping() {
      // Readiness must answer quickly even when the server is gone (server selection would wait 10 s).
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 2_000);
      });
      const pinged = db.command({ ping: 1 }).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([pinged, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await connection.close();
    },
  };
}
