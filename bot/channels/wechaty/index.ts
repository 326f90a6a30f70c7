import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { FileBox } from 'file-box';
import qrTerminal from 'qrcode-terminal';
import { ScanStatus, WechatyBuilder, log as wechatyLog, types, type Contact, type Message, type Room, type Wechaty, type WechatyOptions } from 'wechaty';
import { keepFile } from '../files.js';
import { ChannelUnavailable, FileNotSent, type Capabilities, type Channel, type ChannelEvents, type Envelope, type Logger } from '../../core/ports.js';

export type WechatyChannelOptions = {
  /** names the Wechaty session, so a login survives a restart */
  botName: string;
  /** a ready puppet (the simulator and tests use wechaty-puppet-mock), else one by name */
  puppet: Exclude<WechatyOptions['puppet'], undefined>;
  puppetToken?: string;
  /** the groups served, by topic; elsewhere the bot stays silent */
  rooms: string[];
  log: Logger;
  /** where files sent to the bot are kept (readable by the bot's user only); absent: files are not taken */
  filesDir?: string;
};

/** The puppets known to use the personal-WeChat web protocol: opt-in only. */
export const WEB_PROTOCOL_PUPPETS = ['wechaty-puppet-wechat4u', 'wechaty-puppet-wechat'];

/**
 * Any Wechaty puppet as a channel: wechaty-puppet-mock for the demo, the simulator and tests;
 * wechaty-puppet-service for whoever holds a token. Hears every message of the served groups.
 * Emits 'handled' with the message id once a message was dealt with (answered and the answer
 * sent, or ignored), so the simulator and tests await it instead of sleeping.
 */
export class WechatyChannel extends EventEmitter implements Channel {
  readonly name = 'wechaty';
  readonly capabilities: Capabilities = { hearsAllGroupMessages: true, mentionsById: true, files: true, privateMessages: true, perMinute: 60 };
  readonly wechaty: Wechaty;
  private events: ChannelEvents | null = null;
  /** errors said since the last login: each once */
  private readonly errorsSaid = new Set<string>();

  constructor(private readonly options: WechatyChannelOptions) {
    super();
    // Wechaty's own log writes to standard error, tokens included: ours says what matters
    wechatyLog.level('silent');
    const { puppet, puppetToken } = options;
    this.wechaty = WechatyBuilder.build({
      name: options.botName,
      puppet: puppet as WechatyOptions['puppet'],
      ...(puppetToken && typeof puppet === 'string' ? { puppetOptions: { token: puppetToken } } : {}),
    });
    this.wechaty.on('scan', (qrcode, status) => this.onScan(qrcode, status));
    this.wechaty.on('login', () => {
      // a later outage is said again
      this.errorsSaid.clear();
      this.checkMemoryCard();
      void this.events?.connected();
    });
    this.wechaty.on('logout', () => this.events?.disconnected('logged out'));
    this.wechaty.on('message', (message) =>
      void this.onMessage(message)
        .catch((err) => options.log.error({ err, messageId: message.id }, 'message handling failed'))
        .finally(() => this.emit('handled', message.id)),
    );
    this.wechaty.on('error', (err) => this.onError(err));
  }

  /**
   * One line per distinct error, without its stack: a puppet that cannot connect (Wechaty
   * reports it here and tries again itself) repeats itself every second.
   */
  private onError(err: Error): void {
    if (this.errorsSaid.has(err.message)) return;
    this.errorsSaid.add(err.message);
    this.options.log.warn({ error: err.message }, 'wechaty error');
  }

  /**
   * Wechaty keeps the login (cookies) in <botName>.memory-card.json and writes it in place: a
   * stop in the middle of a write leaves a file the next start cannot read. Such a file is set
   * aside; a sound one is made readable by the bot's user only.
   */
  private checkMemoryCard(): void {
    const file = `${this.options.botName}.memory-card.json`;
    if (!existsSync(file)) return;
    try {
      JSON.parse(readFileSync(file, 'utf8'));
      chmodSync(file, 0o600);
    } catch {
      renameSync(file, `${file}.broken`);
      this.options.log.warn({ file }, 'the saved login could not be read and was set aside; scan the QR code again');
    }
  }

  get connected(): boolean {
    return this.wechaty.isLoggedIn;
  }

  async start(events: ChannelEvents): Promise<void> {
    this.events = events;
    this.checkMemoryCard();
    try {
      await this.wechaty.start();
    } catch (err) {
      throw new ChannelUnavailable(`Wechaty could not start the puppet: ${(err as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    await this.wechaty.stop();
    this.checkMemoryCard();
  }

  private onScan(qrcode: string, status: ScanStatus): void {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) return;
    this.options.log.info({ status }, 'scan the QR code with the WeChat account the bot runs as');
    qrTerminal.generate(qrcode, { small: true });
  }

  private async onMessage(message: Message): Promise<void> {
    const isFile = message.type() === types.Message.Attachment && this.options.filesDir !== undefined;
    if (message.self() || (message.type() !== types.Message.Text && !isFile) || !this.events) return;
    const room = message.room();
    const topic = room ? await room.topic() : null;
    if (topic !== null && !this.options.rooms.includes(topic)) return;
    const talker = message.talker();
    await this.events.message({
      channel: this.name,
      id: message.id,
      // a served group is known by its topic, as the config names it: room ids change with
      // every login of the web protocol, and the ledger must still reach the group afterwards
      conversation: room ? { kind: 'room', id: topic!, title: topic! } : { kind: 'contact', id: talker.id },
      sender: { id: talker.id, name: talker.name(), remark: (await talker.alias().catch(() => undefined)) ?? undefined },
      text: isFile ? '' : message.text(),
      mentionsBot: room ? await message.mentionSelf() : false,
      ...(isFile ? { file: await this.keep(message, this.options.filesDir!) } : {}),
    });
  }


  private async keep(message: Message, dir: string): Promise<{ name: string; path: string }> {
    const box = await message.toFileBox();
    return keepFile(dir, message.id, box.name, await box.toBuffer());
  }

  async send(e: Envelope): Promise<void> {
    if (!this.wechaty.isLoggedIn) throw new Error('not logged in');
    const to = e.conversation.kind === 'room' ? await this.wechaty.Room.find({ topic: e.conversation.id }) : await this.wechaty.Contact.find({ id: e.conversation.id });
    if (!to) throw new Error(`no ${e.conversation.kind} ${e.conversation.id}`);
    if (e.filePath) return this.sendFile(to, e.filePath);
    if (e.conversation.kind === 'contact' || e.mentions.length === 0) return void (await to.say(e.parts.join('')));
    const contacts: Contact[] = [];
    for (const id of e.mentions) {
      const c = await this.wechaty.Contact.find({ id });
      if (c) contacts.push(c);
    }
    if (contacts.length !== e.mentions.length) return void (await to.say(e.parts.join('')));
    await (to as Room).say(Object.assign([...e.parts], { raw: e.parts }) as unknown as TemplateStringsArray, ...contacts);
  }

  private async sendFile(to: Room | Contact, path: string): Promise<void> {
    try {
      // base64 rather than a file path: every puppet can carry it (the mock needs it serialisable)
      await to.say(FileBox.fromBase64(readFileSync(path).toString('base64'), basename(path)));
    } catch (err) {
      if (!this.wechaty.isLoggedIn) throw err;
      throw new FileNotSent((err as Error).message);
    }
  }
}
