/** Files: uploads by the app (files.getUploadURLExternal + complete) and files people attach. */
import type { FakeChannel, FakeFile } from '../types.js';
import type { WorkspaceContext } from './context.js';
import type { WorkspaceMessages } from './messages.js';
import { accept, refuse, type Outcome } from './outcome.js';

export class WorkspaceFiles {
  readonly files = new Map<string, FakeFile>();

  constructor(
    private readonly ctx: WorkspaceContext,
    private readonly messages: WorkspaceMessages,
  ) {}

  private newFile(name: string, title: string, size: number, userId: string, mimetype: string): FakeFile {
    const id = this.ctx.ids.id('file');
    const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? 'binary';
    const file: FakeFile = {
      id,
      name,
      title,
      mimetype,
      filetype: extension,
      size,
      user: userId,
      created: Math.floor(this.ctx.now() / 1000),
      uploaded: false,
      completed: false,
      channels: [],
      url_private: `${this.ctx.baseUrl}/files/${id}/${encodeURIComponent(name)}`,
      url_private_download: `${this.ctx.baseUrl}/files/${id}/download/${encodeURIComponent(name)}`,
      permalink: `https://${this.ctx.identity.teamDomain}.slack.com/files/${userId}/${id}/${encodeURIComponent(name)}`,
    };
    this.files.set(id, file);
    return file;
  }

  createUpload(filename: string, length: number): FakeFile {
    return this.newFile(filename, filename, length, this.ctx.identity.botUserId, mimetypeOf(filename));
  }

  receiveUpload(fileId: string, content: Buffer): Outcome<FakeFile> {
    const file = this.files.get(fileId);
    if (file === undefined || file.completed) return refuse('file_not_found');
    file.content = content;
    file.size = content.length;
    file.uploaded = true;
    return accept(file);
  }

  completeUploads(
    entries: { id: string; title?: string }[],
    channel: FakeChannel | undefined,
    initialComment: string | undefined,
    threadTs: string | undefined,
  ): Outcome<FakeFile[]> {
    const files: FakeFile[] = [];
    for (const entry of entries) {
      const file = this.files.get(entry.id);
      if (file === undefined || !file.uploaded) return refuse('file_not_found');
      files.push(file);
    }
    for (const [i, file] of files.entries()) {
      file.completed = true;
      const title = entries[i]?.title;
      if (title !== undefined) file.title = title;
      if (channel !== undefined) file.channels.push(channel.id);
    }
    if (channel !== undefined) {
      const message = this.messages.postBotMessage(
        channel.id,
        { text: initialComment ?? '', ...(threadTs === undefined ? {} : { thread_ts: threadTs }) },
        'files.completeUploadExternal',
      );
      message.files = files.map((f) => ({ id: f.id, name: f.name, title: f.title }));
    }
    return accept(files);
  }

  /** A file a person attached in the Slack client (what a `file_input` submits). */
  addUserFile(userId: string, name: string, content: Buffer, mimetype?: string): FakeFile {
    const file = this.newFile(name, name, content.length, userId, mimetype ?? mimetypeOf(name));
    file.content = content;
    file.uploaded = true;
    file.completed = true;
    return file;
  }

  clear(): void {
    this.files.clear();
  }
}

const MIME_TYPES: Record<string, string> = {
  csv: 'text/csv',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
};

function mimetypeOf(name: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}
