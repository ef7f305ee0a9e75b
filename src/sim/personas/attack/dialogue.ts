/**
 * @module sim/personas/attack/dialogue
 * Self-chat dialogue harvesting (UltraChat- and Baize-style): a campaign that distils whole
 * conversations, not one-shot answers. Each key runs conversations whose user side is written by
 * the campaign's own user simulator: an opening task from a sweep of topics, then follow-ups that
 * push for more ("Could you go deeper into…", "Give a worked example…"), each sent as soon as the
 * model's answer arrives. Every request carries the model's earlier answers in full, so the
 * traffic is multi-turn with real histories, and its input grows with every turn (the harvester
 * pays for the history to get multi-turn training data).
 *
 * > "Prompts are narrow, repetitive and high-volume, built from templates with variable slots,
 * > and sweep a capability systematically" (issue 3)
 *
 * With `serverThreads` the conversations run on the Responses API and the upstream keeps them:
 * each turn sends only its new message and `previous_response_id`, and the earlier turns are
 * billed as input without appearing in the request.
 *
 * It is the evasion that engine 1.6.0's thin-history rule names as what a disguised harvester
 * would have to pay for (`thinHistory`, detect/profile.ts).
 */
import { answerLength, answerText } from '../../prompts/answers.js';
import { fill, paraphrase } from '../../prompts/fill.js';
import { cotWrap, type PromptKind } from '../../prompts/index.js';
import type { Rng } from '../../rng.js';
import { type Message, type PersonaContext, responsesRequest, type ServerThread } from '../common.js';
import { type Campaign, type Factory, harvestRequest } from './campaign.js';

/** Opening tasks of the simulator's conversations: questions about the world, writing, help with work. */
const OPENING_KINDS: PromptKind[] = ['qa', 'writing', 'code', 'math', 'puzzle', 'translate', 'summarize'];

/**
 * The user simulator's follow-ups. An LLM playing a curious user writes them; they vary in
 * wording but keep to a few moves: go deeper, ask for an example, challenge, reframe, restructure.
 */
const FOLLOW_UPS = [
  '{That makes sense|Interesting|Thanks, that helps|Great explanation|I see}. {Could you|Can you|Would you} {elaborate on|go deeper into|expand on} {the second point|the part about {topic}|the trade-offs you mentioned|why that works|the last step}?',
  '{Can you|Could you} give a {concrete|detailed|worked} example{ with numbers| step by step| from {field}|}?',
  'What are the most common {mistakes|misconceptions|pitfalls} {people make here|beginners have about this|in practice}?',
  'How would you explain this to {audience}?',
  'What are the strongest {counterarguments|objections|criticisms} to what you said?',
  'How does this {compare with|relate to|differ from} {topic}?',
  'Walk me through your reasoning for the {last|second|key} step in more detail.',
  '{Could you|Can you|Please} rewrite your answer as a {structured guide|step-by-step tutorial|table|numbered list} with {headings|examples|a summary at the end}.',
  'What would change if {the numbers were doubled|we had no budget|this happened in {city}|the audience were {audience}}?',
  '{Now|Next}, {summarize the key points|list the assumptions you made} and then go deeper on the most important one.',
  'Is there anything {important|subtle|surprising} you left out? {Please|} add it with an explanation.',
  'How would {an expert in {field}|a skeptic|a teacher} {answer|critique|extend} this?',
];

/** What the campaign's user simulator does, drawn once for all its keys. */
export interface DialoguePlan {
  kinds: PromptKind[];
  follow: string[];
  /** Turns per conversation (user messages), inclusive. */
  turns: [number, number];
}

export function dialoguePlan(rng: Rng): DialoguePlan {
  const shortest = rng.int(2, 4);
  return {
    kinds: rng.sample(OPENING_KINDS, rng.int(3, OPENING_KINDS.length)),
    follow: rng.sample(FOLLOW_UPS, rng.int(6, FOLLOW_UPS.length)),
    turns: [shortest, shortest + rng.int(2, 4)],
  };
}

/** A conversation in flight: its messages so far, or its thread when the upstream keeps it. */
interface Dialogue {
  messages: Message[];
  thread: ServerThread;
}

/**
 * One key's requests: turn 0 of a session opens a conversation with a task; each later turn
 * appends the model's previous answer (its full length) and the simulator's follow-up.
 */
export function dialogueFactory(
  ctx: PersonaContext,
  c: Campaign,
  plan: DialoguePlan,
  model: () => string,
): Factory {
  const open = new Map<number, Dialogue>();
  return (g, at) => {
    let d = at.turn === 0 ? undefined : open.get(at.session);
    if (d === undefined) {
      // Conversations of a key rarely overlap; the oldest is dropped past a few in flight.
      if (open.size >= 8) open.delete(open.keys().next().value!);
      const kind = g.pick(plan.kinds);
      let q =
        kind === 'qa' || kind === 'writing'
          ? ctx.prompts.instruction(g, kind)
          : ctx.prompts.get(kind, g, 0.5);
      if (c.p.paraphrase > 0) q = paraphrase(g, q, c.p.paraphrase);
      d = { messages: [{ role: 'user', content: q }], thread: { lastId: null, contextTokens: 0 } };
      open.set(at.session, d);
    } else {
      // The model's last answer as it came back: as long as the campaign's answers are (held by
      // the upstream when it keeps the conversation).
      if (!c.p.serverThreads) {
        const tokens = answerLength(g, 650, 0.5, c.p.maxTokens).tokens;
        d.messages.push({ role: 'assistant', content: answerText(g, tokens) });
      }
      let q = fill(g, g.pick(plan.follow));
      if (c.p.paraphrase > 0) q = paraphrase(g, q, c.p.paraphrase);
      if (g.chance(c.p.cotShare)) q = cotWrap(g, q);
      d.messages.push({ role: 'user', content: q });
    }
    const last = d.messages[d.messages.length - 1]!;
    if (c.p.serverThreads)
      return responsesRequest(g, d.thread, {
        model: model(),
        instructions: c.system,
        input: last.content as string,
        maxTokens: c.p.maxTokens,
        temperature: g.pick([null, 0.7, 1]),
        user: null,
        answer: { median: 650, sigma: 0.5 },
      });
    return harvestRequest(g, c, {
      model: model(),
      system: c.system,
      prompt: last.content as string,
      history: d.messages.slice(0, -1),
      kind: 'text',
    });
  };
}
