// Wechaty on wechaty-puppet-mock: the stand-in is a mock WeChat around the real Wechaty.
import { MockChat } from '../../bot/cli/mock-chat.js';
import { silentLog } from '../../bot/runtime/log.js';
import { botOverChannel, channelContract, COORDINATOR, LIAISON, STRANGER, type Said, type StandIn } from './contract.js';

const GROUP = '政务公开联络群';

async function mockWeChat(): Promise<StandIn> {
  const chat = new MockChat(() => new Date());
  for (const u of [LIAISON, COORDINATOR, STRANGER]) chat.member(u.name, undefined, u.id);
  chat.room(GROUP);
  const channel = chat.channel([GROUP], silentLog);
  const sent: Said[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  chat.puppet.on('message', ({ messageId }) => {
    const line = chat.lines.find((l) => l.messageId === messageId);
    if (line?.who !== 'bot') return;
    const p = chat.mocker.messagePayload(messageId) as { listenerId?: string };
    sent.push({
      conversation: line.room ? { kind: 'room', id: line.room } : { kind: 'contact', id: p.listenerId! },
      text: line.text,
      // the mock keeps no mention list: an @name in the text is the mention WeChat shows
      mentions: [LIAISON, COORDINATOR, STRANGER].filter((u) => line.text.includes(`@${u.name}`)).map((u) => u.id),
      file: line.file,
    });
    for (const w of waiters.filter((w) => sent.length >= w.n)) w.resolve();
  });
  return {
    channel,
    group: GROUP,
    connect: () => chat.login(),
    say: async (user, text, where) => {
      await chat.say(channel, user.name, where === 'group' ? `@${chat.botName} ${text}` : text, where === 'group' ? GROUP : null, where === 'group');
    },
    sent,
    untilSent: (n) => new Promise<void>((resolve) => (sent.length >= n ? resolve() : waiters.push({ n, resolve }))),
    close: async () => {},
  };
}

channelContract('wechaty', mockWeChat, { connections: false });
botOverChannel('wechaty', mockWeChat);
