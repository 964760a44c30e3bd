import { Types } from 'mongoose';
import type { Transfer } from '../../domain/index.js';
import type { NewTransfer, TransferRepository } from '../../services/ports.js';
import type { TransferDoc, TransferModel } from '../models/transfer.model.js';

function toTransfer(doc: TransferDoc): Transfer {
  return {
    id: String(doc._id),
    teamId: doc.teamId,
    assetId: doc.assetId,
    assetTag: doc.assetTag,
    fromId: doc.fromId,
    toId: doc.toId,
    note: doc.note ?? undefined,
    status: doc.status as Transfer['status'],
    voidReason: doc.voidReason ?? undefined,
    offerMessage: doc.offerMessage
      ? { channel: doc.offerMessage.channel, ts: doc.offerMessage.ts }
      : undefined,
    createdAt: doc.createdAt,
    decidedAt: doc.decidedAt ?? undefined,
  };
}

const objectId = (id: string) => (Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : undefined);

export class MongoTransferRepository implements TransferRepository {
  constructor(private readonly model: TransferModel) {}

  async create(transfer: NewTransfer): Promise<Transfer | undefined> {
    try {
      const created = await this.model.create({
        teamId: transfer.teamId,
        assetId: transfer.assetId,
        assetTag: transfer.assetTag,
        fromId: transfer.fromId,
        toId: transfer.toId,
        ...(transfer.note ? { note: transfer.note } : {}),
        status: 'pending',
        createdAt: transfer.now,
      });
      return toTransfer(created.toObject());
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return undefined;
      throw err;
    }
  }

  async findById(teamId: string, id: string): Promise<Transfer | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    const doc = await this.model.findOne({ _id, teamId }).lean<TransferDoc>();
    return doc ? toTransfer(doc) : undefined;
  }

  async findOpenForAsset(teamId: string, assetId: string): Promise<Transfer | undefined> {
    const doc = await this.model
      .findOne({ teamId, assetId, status: { $in: ['pending', 'accepting'] } })
      .lean<TransferDoc>();
    return doc ? toTransfer(doc) : undefined;
  }

  async listOpenInvolving(teamId: string, userId: string): Promise<Transfer[]> {
    const docs = await this.model
      .find({
        teamId,
        status: { $in: ['pending', 'accepting'] },
        $or: [{ fromId: userId }, { toId: userId }],
      })
      .sort({ createdAt: 1 })
      .limit(50)
      .lean<TransferDoc[]>();
    return docs.map(toTransfer);
  }

  async changeStatus(
    teamId: string,
    id: string,
    from: Transfer['status'][],
    to: Transfer['status'],
    now: Date,
    voidReason?: string,
  ): Promise<Transfer | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    const set: Record<string, unknown> = { status: to };
    if (to !== 'accepting') set['decidedAt'] = now;
    if (voidReason) set['voidReason'] = voidReason;
    const doc = await this.model
      .findOneAndUpdate({ _id, teamId, status: { $in: from } }, { $set: set }, { returnDocument: 'after' })
      .lean<TransferDoc>();
    return doc ? toTransfer(doc) : undefined;
  }

  async setOfferMessage(teamId: string, id: string, message: { channel: string; ts: string }): Promise<void> {
    const _id = objectId(id);
    if (!_id) return;
    await this.model.updateOne({ _id, teamId }, { $set: { offerMessage: message } });
  }
}
