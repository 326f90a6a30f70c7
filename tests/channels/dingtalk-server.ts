// A stand-in of DingTalk on 127.0.0.1: the stream gateway's open endpoint, the stream WebSocket
// with the frames of dingtalk-stream 2.1.5 (system ping, robot callbacks and their acks), the
// session webhooks, the access token and the robot's group and single-chat sends.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DWClientDownStream } from 'dingtalk-stream';
import { TOPIC_ROBOT, type RobotTextMessage } from 'dingtalk-stream/constants';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Said, User } from './contract.js';

const TOKEN = 'stand-in-token';
const CLIENT_ID = 'ding-stand-in';

export class DingTalkServer {
  readonly clientId = CLIENT_ID;
  readonly clientSecret = 'stand-in-secret';
  /** the test group's openConversationId */
  readonly group = 'cidGROUP0001==';
  readonly sent: Said[] = [];
  /** what each gateway open asked to subscribe to */
  readonly subscriptions: unknown[] = [];
  private readonly http = createServer((req, res) => void this.route(req, res));
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: WebSocket | null = null;
  private readonly tickets = new Set<string>();
  /** session webhook → the conversation it answers into */
  private readonly sessions = new Map<string, Said['conversation']>();
  private readonly answers = new Map<string, () => void>();
  private sentWaiters: { n: number; resolve: () => void }[] = [];
  private connectionWaiters: (() => void)[] = [];

  async start(): Promise<void> {
    this.http.on('upgrade', (req, socket, head) => {
      const ticket = new URL(req.url!, 'http://x').searchParams.get('ticket');
      if (!ticket || !this.tickets.delete(ticket)) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
  }

  get base(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  untilSent(n: number): Promise<void> {
    return new Promise((resolve) => (this.sent.length >= n ? resolve() : this.sentWaiters.push({ n, resolve })));
  }

  /** A user writes; resolves once the channel acknowledged the callback. */
  async say(user: User, text: string, where: 'group' | 'private'): Promise<void> {
    const socket = this.socket ?? (await this.nextConnection());
    const session = `${this.base}/robot/sendBySession?session=${randomUUID()}`;
    this.sessions.set(session, where === 'group' ? { kind: 'room', id: this.group } : { kind: 'contact', id: user.id });
    const message: RobotTextMessage & { conversationTitle?: string } = {
      conversationId: where === 'group' ? this.group : `cidPRIVATE-${user.id}`,
      conversationType: where === 'group' ? '2' : '1',
      conversationTitle: where === 'group' ? '政务公开联络群' : undefined,
      chatbotCorpId: 'dingcorp',
      chatbotUserId: '$:LWCP_v1:$robot',
      msgId: `msg${randomUUID()}`,
      senderNick: user.name,
      isAdmin: false,
      senderStaffId: user.id,
      senderId: `$:LWCP_v1:$${user.id}`,
      senderCorpId: 'dingcorp',
      sessionWebhook: session,
      sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
      createAt: Date.now(),
      robotCode: CLIENT_ID,
      msgtype: 'text',
      // DingTalk leaves the @robot out and keeps the space after it
      text: { content: where === 'group' ? ` ${text}` : text },
    };
    await this.push(socket, 'CALLBACK', TOPIC_ROBOT, JSON.stringify(message));
  }

  /** The gateway's ping; resolves once the channel echoed it. */
  ping(): Promise<void> {
    return this.push(this.socket!, 'SYSTEM', 'ping', JSON.stringify({ opaque: randomUUID() }));
  }

  /** Drops the stream; resolves once the channel opened a new one. */
  async dropConnection(): Promise<void> {
    const next = this.nextConnection();
    this.socket?.terminate();
    this.socket = null;
    await next;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
  }

  private nextConnection(): Promise<WebSocket> {
    return new Promise((resolve) => this.connectionWaiters.push(() => resolve(this.socket!)));
  }

  private onConnection(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (raw) => {
      const up = JSON.parse(String(raw)) as { code: number; headers: { messageId: string }; data: string };
      if (up.code === 200) this.answers.get(up.headers.messageId)?.();
    });
    const waiters = this.connectionWaiters;
    this.connectionWaiters = [];
    for (const w of waiters) w();
  }

  /** Sends one downstream frame and resolves when the answer with its messageId comes back. */
  private push(socket: WebSocket, type: string, topic: string, data: string): Promise<void> {
    const messageId = randomUUID();
    const frame: DWClientDownStream = {
      specVersion: '1.0',
      type,
      headers: { appId: 'app', connectionId: 'conn', contentType: 'application/json', messageId, time: String(Date.now()), topic },
      data,
    };
    return new Promise((resolve) => {
      this.answers.set(messageId, () => {
        this.answers.delete(messageId);
        resolve();
      });
      socket.send(JSON.stringify(frame));
    });
  }

  private record(said: Said): void {
    this.sent.push(said);
    const due = this.sentWaiters.filter((w) => this.sent.length >= w.n);
    this.sentWaiters = this.sentWaiters.filter((w) => this.sent.length < w.n);
    for (const w of due) w.resolve();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const url = new URL(req.url!, this.base);
    const json = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const authorised = req.headers['x-acs-dingtalk-access-token'] === TOKEN;
    const text = (msgParam: string) => (JSON.parse(msgParam) as { content: string }).content;
    switch (url.pathname) {
      case '/v1.0/gateway/connections/open': {
        if (body.clientId !== CLIENT_ID || body.clientSecret !== this.clientSecret) return json(401, { code: 'invalidClient' });
        this.subscriptions.push(body.subscriptions);
        const ticket = randomUUID();
        this.tickets.add(ticket);
        return json(200, { endpoint: `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/connect`, ticket });
      }
      case '/v1.0/oauth2/accessToken':
        if (body.appKey !== CLIENT_ID || body.appSecret !== this.clientSecret) return json(400, { code: 'invalidClient' });
        return json(200, { accessToken: TOKEN, expireIn: 7200 });
      case '/robot/sendBySession': {
        const conversation = this.sessions.get(url.href);
        if (!conversation) return json(200, { errcode: 300001, errmsg: 'session expired' });
        this.record({ conversation, text: body.text.content, mentions: body.at?.atUserIds ?? [], file: null });
        return json(200, { errcode: 0, errmsg: 'ok' });
      }
      case '/v1.0/robot/groupMessages/send':
        if (!authorised) return json(401, { code: 'InvalidAuthentication' });
        if (body.robotCode !== CLIENT_ID || body.msgKey !== 'sampleText') return json(400, { code: 'invalidParameter' });
        this.record({ conversation: { kind: 'room', id: body.openConversationId }, text: text(body.msgParam), mentions: [], file: null });
        return json(200, { processQueryKey: randomUUID() });
      case '/v1.0/robot/oToMessages/batchSend':
        if (!authorised) return json(401, { code: 'InvalidAuthentication' });
        for (const id of body.userIds as string[]) this.record({ conversation: { kind: 'contact', id }, text: text(body.msgParam), mentions: [], file: null });
        return json(200, { processQueryKey: randomUUID() });
      default:
        return json(404, { code: 'notFound' });
    }
  }
}
