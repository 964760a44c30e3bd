import { Types } from 'mongoose';
import type { AssetRequest, Page, PageOf, RequestApproval, RequestDenial } from '../../domain/index.js';
import type { NewRequest, RequestRepository } from '../../services/ports.js';
import type { RequestDoc, RequestModel } from '../models/request.model.js';

function toRequest(doc: RequestDoc): AssetRequest {
  const a = doc.approval;
  const d = doc.denial;
  return {
    id: String(doc._id),
    teamId: doc.teamId,
    requesterId: doc.requesterId,
    kind: doc.kind as AssetRequest['kind'],
    item: { category: doc.item.category, model: doc.item.model ?? undefined },
    reason: doc.reason,
    neededBy: doc.neededBy ?? undefined,
    returnBy: doc.returnBy ?? undefined,
    status: doc.status as AssetRequest['status'],
    approval: a
      ? {
          approverId: a.approverId,
          assetId: a.assetId,
          assetTag: a.assetTag,
          dueBackAt: a.dueBackAt ?? undefined,
          note: a.note ?? undefined,
          claimedAt: a.claimedAt,
          approvedAt: a.approvedAt ?? undefined,
        }
      : undefined,
    denial: d ? { deniedBy: d.deniedBy, reason: d.reason, deniedAt: d.deniedAt } : undefined,
    itMessage: doc.itMessage ? { channel: doc.itMessage.channel, ts: doc.itMessage.ts } : undefined,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

const objectId = (id: string) => (Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : undefined);
const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export class MongoRequestRepository implements RequestRepository {
  constructor(private readonly model: RequestModel) {}

  async create(request: NewRequest): Promise<{ request: AssetRequest; created: boolean }> {
    try {
      return { request: await this.insert(request), created: true };
    } catch (err) {
      if (!request.submissionKey || (err as { code?: number }).code !== 11000) throw err;
      const first = await this.model
        .findOne({ teamId: request.teamId, submissionKey: request.submissionKey })
        .lean<RequestDoc>()
        .exec();
      if (!first) throw err;
      return { request: toRequest(first), created: false };
    }
  }

  private async insert(request: NewRequest): Promise<AssetRequest> {
    const created = await this.model.create(
      compact({
        submissionKey: request.submissionKey,
        teamId: request.teamId,
        requesterId: request.requesterId,
        kind: request.kind,
        item: compact({ category: request.item.category, model: request.item.model }),
        reason: request.reason,
        neededBy: request.neededBy,
        returnBy: request.returnBy,
        status: 'pending',
        createdAt: request.now,
        updatedAt: request.now,
      }),
    );
    return toRequest(created.toObject());
  }

  async findById(teamId: string, id: string): Promise<AssetRequest | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    const doc = await this.model.findOne({ _id, teamId }).lean<RequestDoc>();
    return doc ? toRequest(doc) : undefined;
  }

  async listByRequester(
    teamId: string,
    requesterId: string,
    statuses: AssetRequest['status'][],
  ): Promise<AssetRequest[]> {
    const docs = await this.model
      .find({ teamId, requesterId, status: { $in: statuses } })
      .sort({ createdAt: -1 })
      .limit(50)
      .lean<RequestDoc[]>();
    return docs.map(toRequest);
  }

  async listByStatus(
    teamId: string,
    statuses: AssetRequest['status'][],
    page: Page,
  ): Promise<PageOf<AssetRequest>> {
    const filter = { teamId, status: { $in: statuses } };
    const [docs, total] = await Promise.all([
      this.model.find(filter).sort({ createdAt: 1 }).skip(page.offset).limit(page.limit).lean<RequestDoc[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: docs.map(toRequest), total, offset: page.offset, limit: page.limit };
  }

  private async conditional(filter: Record<string, unknown>, update: Record<string, unknown>) {
    const doc = await this.model
      .findOneAndUpdate(filter, update, { returnDocument: 'after' })
      .lean<RequestDoc>();
    return doc ? toRequest(doc) : undefined;
  }

  async claimApproval(
    teamId: string,
    id: string,
    approval: RequestApproval,
    takeover?: { approverId: string; claimedAt: Date },
  ): Promise<AssetRequest | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    const filter = takeover
      ? {
          _id,
          teamId,
          status: 'approving',
          'approval.approverId': takeover.approverId,
          'approval.claimedAt': takeover.claimedAt,
        }
      : { _id, teamId, status: 'pending' };
    return this.conditional(filter, {
      $set: { status: 'approving', approval: compact({ ...approval }), updatedAt: approval.claimedAt },
    });
  }

  async finishApproval(
    teamId: string,
    id: string,
    approverId: string,
    approvedAt: Date,
  ): Promise<AssetRequest | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    return this.conditional(
      { _id, teamId, status: 'approving', 'approval.approverId': approverId },
      { $set: { status: 'approved', 'approval.approvedAt': approvedAt, updatedAt: approvedAt } },
    );
  }

  async releaseClaim(
    teamId: string,
    id: string,
    approverId: string,
    now: Date,
  ): Promise<AssetRequest | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    return this.conditional(
      { _id, teamId, status: 'approving', 'approval.approverId': approverId },
      { $set: { status: 'pending', updatedAt: now }, $unset: { approval: 1 } },
    );
  }

  async deny(teamId: string, id: string, denial: RequestDenial): Promise<AssetRequest | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    return this.conditional(
      { _id, teamId, status: 'pending' },
      { $set: { status: 'denied', denial, updatedAt: denial.deniedAt } },
    );
  }

  async cancel(
    teamId: string,
    id: string,
    requesterId: string,
    now: Date,
  ): Promise<AssetRequest | undefined> {
    const _id = objectId(id);
    if (!_id) return undefined;
    return this.conditional(
      { _id, teamId, requesterId, status: 'pending' },
      { $set: { status: 'cancelled', updatedAt: now } },
    );
  }

  async setItMessage(teamId: string, id: string, message: { channel: string; ts: string }): Promise<void> {
    const _id = objectId(id);
    if (!_id) return;
    await this.model.updateOne({ _id, teamId }, { $set: { itMessage: message } });
  }
}
