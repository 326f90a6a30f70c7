import { EventEmitter } from 'node:events';
import qrTerminal from 'qrcode-terminal';
import { ScanStatus, WechatyBuilder, types, type Contact, type Message, type Room, type Wechaty, type WechatyOptions } from 'wechaty';
import type { Config } from './config.js';
import { handleMessage, type HandlerDeps } from './handle.js';
import type { Reply } from './commands/context.js';
import { splitMessage } from './split.js';

/** The few log calls the bot makes; a pino logger fits. */
export type Logger = {
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
};

export type BotDeps = HandlerDeps & {
  config: Config;
  log: Logger;
  /** a ready puppet (tests and the simulator use wechaty-puppet-mock); else config.puppet by name */
  puppet?: Exclude<WechatyOptions['puppet'], string>;
  /** where the login QR code goes (the terminal by default) */
  showQr?: (qrcode: string) => void;
};

/**
 * The bot in the chat: the only part that knows Wechaty. Emits 'handled' with the message id
 * once a message was dealt with (replied to, or ignored), so tests await it instead of sleeping.
 */
export class LiaisonBot extends EventEmitter {
  readonly wechaty: Wechaty;

  constructor(private readonly deps: BotDeps) {
    super();
    const { config } = deps;
    this.wechaty = WechatyBuilder.build({
      name: config.botName,
      puppet: deps.puppet ?? (config.puppet as WechatyOptions['puppet']),
      ...(config.puppetToken && !deps.puppet ? { puppetOptions: { token: config.puppetToken } } : {}),
    });
    this.wechaty.on('scan', (qrcode, status) => this.onScan(qrcode, status));
    this.wechaty.on('login', (user) => this.onLogin(user));
    this.wechaty.on('logout', (user) => this.onLogout(user));
    this.wechaty.on('message', (message) => this.onMessage(message));
    this.wechaty.on('error', (err) => deps.log.error({ err }, 'wechaty error'));
  }

  start(): Promise<void> {
    return this.wechaty.start();
  }

  stop(): Promise<void> {
    return this.wechaty.stop();
  }

  private onScan(qrcode: string, status: ScanStatus): void {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) return;
    this.deps.log.info({ status }, 'scan the QR code with the WeChat account the bot runs as');
    (this.deps.showQr ?? ((q) => qrTerminal.generate(q, { small: true })))(qrcode);
  }

  private onLogin(user: Contact): void {
    this.deps.log.info({ user: user.name() }, 'logged in');
  }

  private onLogout(user: Contact): void {
    this.deps.log.warn({ user: user.name() }, 'logged out');
  }

  /** A contact is a coordinator by id, or by the bot account's own remark for it. */
  async isCoordinator(contact: Contact): Promise<boolean> {
    const remark = await contact.alias().catch(() => undefined);
    return this.deps.config.coordinators.some((c) => c.contactId === contact.id || (remark && c.name === remark));
  }

  private async servedRoom(room: Room | undefined): Promise<boolean> {
    return !room || this.deps.config.rooms.includes(await room.topic());
  }

  private async onMessage(message: Message): Promise<void> {
    try {
      await this.answer(message);
    } catch (err) {
      this.deps.log.error({ err, messageId: message.id }, 'message handling failed');
    } finally {
      this.emit('handled', message.id);
    }
  }

  private async answer(message: Message): Promise<void> {
    if (message.self() || message.type() !== types.Message.Text) return;
    const room = message.room();
    if (!(await this.servedRoom(room))) return;
    const talker = message.talker();
    const addressed = !room || (await message.mentionSelf());
    const reply = handleMessage(
      { text: message.text(), addressed, actor: { contactId: talker.id, name: talker.name() }, isCoordinator: await this.isCoordinator(talker) },
      this.deps,
    );
    if (!reply) return;
    this.deps.log.info({ messageId: message.id, room: room ? await room.topic() : null }, 'answered');
    await this.send(reply, room, talker);
  }

  private async send(reply: Reply, room: Room | undefined, talker: Contact): Promise<void> {
    for (const part of splitMessage(reply.text, this.deps.config.outbox.maxLength)) {
      await (room ? room.say(part, talker) : talker.say(part));
    }
    if (reply.toCoordinators) await this.notifyCoordinators(reply.toCoordinators, room);
  }

  /** Tells the coordinators in a served group: the one the request came from, else the first with one. */
  private async notifyCoordinators(notice: string, from: Room | undefined): Promise<void> {
    const candidates = from ? [from] : await this.servedRooms();
    for (const room of candidates) {
      const members = await room.memberAll();
      const coordinators: Contact[] = [];
      for (const m of members) if (await this.isCoordinator(m)) coordinators.push(m);
      if (coordinators.length === 0) continue;
      await room.say(notice, ...coordinators);
      return;
    }
    this.deps.log.warn({ notice }, 'no coordinator found in any served group');
  }

  private async servedRooms(): Promise<Room[]> {
    const rooms: Room[] = [];
    for (const topic of this.deps.config.rooms) {
      const room = await this.wechaty.Room.find({ topic });
      if (room) rooms.push(room);
    }
    return rooms;
  }
}
