import mongoose, { type Connection } from 'mongoose';
import { MongoBackend } from '@agendajs/mongo-backend';
import { assetModel } from './models/asset.model.js';
import { personModel } from './models/person.model.js';
import { MongoAssetRepository } from './repositories/mongo-asset-repository.js';
import { MongoPersonRepository } from './repositories/mongo-person-repository.js';
import type { AssetRepository, PersonRepository } from '../services/ports.js';

export interface Database {
  connection: Connection;
  repositories: { assets: AssetRepository; people: PersonRepository };
  /** Agenda's storage, on the same connection pool as everything else. */
  agendaBackend: MongoBackend;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Connects, builds every model and waits until their indexes exist (unique rules hold from the first write). */
export async function openDatabase(
  uri: string,
  options: { serverSelectionTimeoutMS?: number } = {},
): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    autoIndex: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
  });
  await connection.asPromise();
  const assets = assetModel(connection);
  const people = personModel(connection);
  await Promise.all([assets.init(), people.init()]);
  const db = connection.getClient().db(connection.name);
  return {
    connection,
    repositories: { assets: new MongoAssetRepository(assets), people: new MongoPersonRepository(people) },
    agendaBackend: new MongoBackend({ mongo: db, collection: 'jobs' }),
    async ping() {
      try {
        await db.command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await connection.close();
    },
  };
}
