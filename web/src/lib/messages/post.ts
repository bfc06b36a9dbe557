import type { ApiClient } from '../api/client.js';
import { postForm } from '../api/upload.js';
import { messagesBase, type Message } from './conversation.js';

/** Posts a message to the dossier's conversation (multipart: `body`, then the files), with upload progress 0…1. */
export async function postMessage(api: ApiClient, dossierId: string, body: string, files: File[], onProgress: (fraction: number) => void): Promise<Message> {
  const form = new FormData();
  form.append('body', body.trim());
  for (const file of files) form.append('file', file, file.name);
  return postForm<Message>(api, messagesBase(dossierId), form, onProgress);
}
