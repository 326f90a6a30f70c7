// A stand-in of WeCom's 智能机器人 long-connection server on loopback, speaking the frames of
// @wecom/aibot-node-sdk: subscribe, ping, message callbacks, replies, proactive sends and the
// three-step media upload. Records what the bot said; can refuse a secret, hold the
// subscription's answer, refuse an old req_id and drop the connection.
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Said, User } from './contract.js';

type Frame = { cmd?: string; headers: { req_id: string }; body?: Record<string, any> };
type Conversation = Said['conversation'];

export class WecomServer extends EventEmitter {
  readonly sent: Said[] = [];
  /** subscription attempts, good or bad */
  subscribes = 0;
  pings = 0;
  /** while true, a subscription waits for release() before it is answered */
  hold = false;
  private held: (() => void)[] = [];
  private socket: WebSocket | null = null;
  private seq = 0;
  /** callback req_id → where the message was said, for answers through the reply path */
  private readonly replyPaths = new Map<string, Conversation>();
  private readonly uploads = new Map<string, string>();
  private readonly media = new Map<string, string>();

  private constructor(
    private readonly wss: WebSocketServer,
    readonly botId: string,
    readonly secret: string,
    readonly groups: string[],
  ) {
    super();
    wss.on('connection', (ws) => {
      this.socket = ws;
      ws.on('message', (data) => this.onFrame(ws, JSON.parse(data.toString()) as Frame));
    });
  }

  static async start(options: { botId: string; secret: string; groups: string[] }): Promise<WecomServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    return new WecomServer(wss, options.botId, options.secret, options.groups);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** resolves once the predicate holds, checked after each frame the server handles */
  until(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => done() && (this.off('frame', check), resolve());
      this.on('frame', check);
      check();
    });
  }

  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  /** a user's text message, in the group (the robot @mentioned first) or in a single chat */
  async deliver(user: User, text: string, where: 'group' | 'private', extra: Record<string, unknown> = {}): Promise<string> {
    const reqId = `callback_${++this.seq}`;
    const group = this.groups[0]!;
    this.replyPaths.set(reqId, where === 'group' ? { kind: 'room', id: group } : { kind: 'contact', id: user.id });
    const body = {
      msgid: `msg${this.seq}`,
      aibotid: this.botId,
      ...(where === 'group' ? { chatid: group } : {}),
      chattype: where === 'group' ? 'group' : 'single',
      from: { userid: user.id },
      msgtype: 'text',
      text: { content: where === 'group' ? `@政务公开助手 ${text}` : text },
      ...extra,
    };
    await this.push({ cmd: 'aibot_msg_callback', headers: { req_id: reqId }, body });
    return reqId;
  }

  /** a reply path the server no longer accepts (too old) */
  expire(reqId: string): void {
    this.replyPaths.delete(reqId);
  }

  /** drops the connection as a network failure would */
  drop(): void {
    this.socket?.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private push(frame: object): Promise<void> {
    return new Promise((resolve, reject) => this.socket!.send(JSON.stringify(frame), (err) => (err ? reject(err) : resolve())));
  }

  private onFrame(ws: WebSocket, f: Frame): void {
    const answer = (errcode = 0, errmsg = 'ok', body?: object) => ws.send(JSON.stringify({ headers: { req_id: f.headers.req_id }, errcode, errmsg, ...(body ? { body } : {}) }));
    const b = f.body ?? {};
    switch (f.cmd) {
      case 'aibot_subscribe': {
        this.subscribes++;
        const ok = b.bot_id === this.botId && b.secret === this.secret;
        const reply = () => answer(ok ? 0 : 40001, ok ? 'ok' : 'invalid secret');
        if (this.hold) this.held.push(reply);
        else reply();
        break;
      }
      case 'ping':
        this.pings++;
        answer();
        break;
      case 'aibot_respond_msg': {
        const where = this.replyPaths.get(f.headers.req_id);
        if (!where) {
          answer(846609, 'invalid req_id');
          break;
        }
        // a stream is said once it is finished
        if (b.msgtype !== 'stream' || b.stream.finish) this.record(where, b);
        answer();
        break;
      }
      case 'aibot_send_msg':
        this.record({ kind: this.groups.includes(b.chatid) ? 'room' : 'contact', id: b.chatid }, b);
        answer();
        break;
      case 'aibot_upload_media_init': {
        const uploadId = `upload${++this.seq}`;
        this.uploads.set(uploadId, b.filename);
        answer(0, 'ok', { upload_id: uploadId });
        break;
      }
      case 'aibot_upload_media_chunk':
        answer();
        break;
      case 'aibot_upload_media_finish': {
        const mediaId = `media${++this.seq}`;
        this.media.set(mediaId, this.uploads.get(b.upload_id)!);
        answer(0, 'ok', { type: 'file', media_id: mediaId, created_at: '1' });
        break;
      }
      default:
        answer(40058, `unknown cmd ${f.cmd}`);
    }
    this.emit('frame');
  }

  private record(conversation: Conversation, b: Record<string, any>): void {
    const content: string = b.msgtype === 'stream' ? b.stream.content : b.msgtype === 'markdown' ? b.markdown.content : '';
    const mentions = [...content.matchAll(/<@([^>]+)>/g)].map((m) => m[1]!);
    const file = b.msgtype === 'file' ? this.media.get(b.file.media_id)! : null;
    this.sent.push({ conversation, text: content.replace(/<@([^>]+)>/g, '@$1'), mentions, file });
  }
}
