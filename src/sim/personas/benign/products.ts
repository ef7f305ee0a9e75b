/**
 * @module sim/personas/benign/products
 * Consumer products whose traffic shares features with harvesting, added as hard negatives the
 * engine was not tuned on: content generators (one short template filled by end users, long
 * answers, max_tokens pinned high, single-turn, sometimes several variants per request) and
 * tutoring apps (a system prompt that asks for step-by-step reasoning on every answer).
 */
import { nodeSdk, populationClient, pythonSdk } from '../../clients.js';
import { fill } from '../../prompts/fill.js';
import type { Rng } from '../../rng.js';
import { rhythmSchedule, sessionSchedule } from '../../time.js';
import type { KeyPlan, Schedule } from '../../types.js';
import {
  adopter,
  chatRequest,
  keyPlan,
  mintOrg,
  mintUser,
  type PersonaContext,
  volume,
  withSystem,
} from '../common.js';
import { conversationMaker } from './chat.js';
import { type BenignPersona, days, rhythm } from './shared.js';

const NAME_HEADS = [
  'Quill',
  'Inkwell',
  'Scribe',
  'Lumen',
  'Sparrow',
  'Maple',
  'Atlas',
  'Nova',
  'Kite',
  'Cedar',
  'Ember',
  'Otter',
];
const NAME_TAILS = ['ly', ' AI', 'Pro', 'Genie', ' Studio', 'Hub', ' Labs', 'io'];

/** A product's name: each app writes its own system prompt around it. */
const productName = (rng: Rng) => `${rng.pick(NAME_HEADS)}${rng.pick(NAME_TAILS)}`;

const CONTENT_TEMPLATES = [
  'Write a {600|800|1200|1500}-word blog post about {topic} for {audience}. Tone: {friendly|professional|witty|inspiring}. Use {3-6} subheadings and end with a call to action.',
  'Write a product description for {product}, aimed at {audience}. Highlight {3-5} benefits and keep a {playful|premium|practical} tone.',
  'Write a {short|long} LinkedIn post announcing that {company} is launching {product}.',
  'Write an SEO article titled "Everything you need to know about {topic}". Include an FAQ section with {4-8} questions.',
  'Write a newsletter for {month} for customers of {company}: {3-5} short sections, a warm intro and a sign-off.',
  'Write a story for {audience} about {person} and {topic}, about {500|800|1000} words.',
];

/**
 * Content generators (copywriting, blog and marketing SaaS): each app has one or two templates
 * its end users fill in, a product system prompt, long answers with max_tokens pinned high,
 * single-turn requests, sometimes `n` > 1 to offer variants, and a consumer or office rhythm.
 */
export function contentApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`content_app:${o}`);
    const org = mintOrg(rng);
    const brand = productName(rng);
    const system = fill(
      rng,
      `You are ${brand}, an AI copywriter for {small businesses|marketers|online shops|real-estate agents|bloggers|agencies}. ` +
        'Write {original|engaging|clear}, {SEO-friendly|well-structured|persuasive} content in {markdown|plain text}. ' +
        '{Never mention that you are an AI.|Match the tone the user asks for.|Avoid clichés and filler.}',
    );
    const templates = rng.sample(CONTENT_TEMPLATES, rng.int(1, 2));
    const total = volume(rng, 25 * days(ctx), 1.2, 10, 8000);
    const users = Array.from({ length: Math.max(5, Math.round(total / rng.float(2, 10))) }, () =>
      mintUser(rng),
    );
    const schedule = rhythmSchedule(
      rng,
      ctx.start,
      ctx.end,
      rhythm(rng, rng.pick(['consumer', 'office']), 0.6),
      total,
    );
    const model = rng.pick(ctx.models.chat);
    const adopt = adopter(ctx, rng, 0.15, 1);
    const maxTokens = rng.pick([2048, 3000, 4096]);
    const variants = rng.chance(0.4) ? rng.int(2, 3) : 1;
    plans.push(
      templatedProductKey(ctx, rng, {
        persona: 'content_app',
        org,
        nodeShare: 0.5,
        schedule,
        system,
        templates,
        users,
        model,
        adopt,
        maxTokens,
        temperature: 0.8,
        n: variants,
        answer: [700, 1100],
      }),
    );
  }
  return plans;
}

/** What a product whose end users fill its templates sends, as `templatedProductKey` takes it. */
export interface TemplatedProduct {
  persona: BenignPersona;
  org: string;
  /** Share of products on the Node SDK (the rest: a client of the population's mix). */
  nodeShare: number;
  schedule: Schedule;
  system: string;
  templates: readonly string[];
  users: readonly string[];
  model: string;
  adopt: ReturnType<typeof adopter>;
  maxTokens: number;
  temperature: number;
  /** Variants per request (`n`), none when absent. */
  n?: number;
  /** Range of the median answer length, drawn per request from the product's own generator. */
  answer: readonly [number, number];
}

/**
 * The key of a product whose end users fill one of its templates: single-turn requests with its
 * system prompt, its pinned `max_tokens` and temperature, an end-user id, long answers. Shared by
 * content generators and quiz makers (draws in the order both made them before, so logs are as
 * they were).
 */
export function templatedProductKey(ctx: PersonaContext, rng: Rng, o: TemplatedProduct): KeyPlan {
  return keyPlan(rng, {
    org: o.org,
    label: { persona: o.persona, attack: false, campaign: null },
    client: rng.chance(o.nodeShare) ? nodeSdk(rng) : populationClient(rng),
    ips: ctx.cloud.egress(rng, rng.int(1, 3)),
    schedule: o.schedule,
    make: (_i, g, { ts }) =>
      chatRequest(g, {
        model: o.adopt(ts, g, o.model),
        messages: withSystem(o.system, [{ role: 'user', content: fill(g, g.pick(o.templates)) }]),
        maxTokens: o.maxTokens,
        temperature: o.temperature,
        n: o.n,
        user: g.pick(o.users),
        answer: { median: rng.float(o.answer[0], o.answer[1]), sigma: 0.4 },
      }),
  });
}

const SUBJECTS = ['math', 'physics', 'chemistry'];
const STUCK = [
  "I don't get step {2-4}, can you explain it differently?",
  'Is my answer of {2-90} right?',
  'Can you give me a similar problem to practise?',
  'Why do we {divide|multiply|subtract} there?',
  'ok thanks',
];

/**
 * Tutoring apps: the product's system prompt asks for step-by-step reasoning on every answer, end
 * users (students) ask homework problems and follow up, after-school rhythm.
 */
export function tutorApp(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`tutor_app:${o}`);
    const org = mintOrg(rng);
    const subject = rng.pick(SUBJECTS);
    const system = fill(
      rng,
      `You are {Ada|Newton|Euler|Curie|Noether|Gauss}, the patient ${subject} tutor inside ${productName(rng)} for {middle|high} school students. ` +
        '{Always explain your reasoning step by step|Walk the student through your thinking step by step|Show every step of your reasoning} so the student can follow, then give the final answer. Never just give the answer.',
    );
    const sessions = volume(rng, 8 * days(ctx), 1.1, 5, 2500);
    const users = Array.from({ length: Math.max(5, Math.round(sessions / rng.float(2, 5))) }, () =>
      mintUser(rng),
    );
    const model = rng.pick(ctx.models.chat);
    const schedule = sessionSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'consumer', 1.2), {
      sessions,
      meanTurns: rng.float(1.5, 3),
      turnGapMs: rng.float(30, 120) * 1000,
    });
    plans.push(
      keyPlan(rng, {
        org,
        label: { persona: 'tutor_app', attack: false, campaign: null },
        client: rng.chance(0.5) ? pythonSdk(rng) : populationClient(rng),
        ips: ctx.cloud.egress(rng, rng.int(1, 3)),
        schedule,
        make: conversationMaker({
          system: () => system,
          users,
          model: () => model,
          opener: (g: Rng) => ctx.prompts.get('math', g, 0.6),
          follow: (g: Rng) => fill(g, g.pick(STUCK)),
          maxTokens: rng.pick([null, 1024, 1500]),
          answer: { median: rng.float(250, 450), sigma: 0.5 },
          temperature: rng.pick([null, 0.3]),
        }),
      }),
    );
  }
  return plans;
}

/**
 * White-label writing platforms: one org that gives each of its business tenants its own key.
 * The keys share the platform's egress IPs, client, templates and pinned max_tokens; each tenant
 * has its own branded system prompt, its own end users and rhythm. Many keys, one operator,
 * long answers: a hydra's outline, run for customers.
 */
export function tenantPlatform(ctx: PersonaContext, orgs: number): KeyPlan[] {
  const plans: KeyPlan[] = [];
  for (let o = 0; o < orgs; o++) {
    const rng = ctx.rng.fork(`tenant_platform:${o}`);
    const org = mintOrg(rng);
    const client = pythonSdk(rng);
    const ips = ctx.cloud.egress(rng, rng.int(1, 2));
    const templates = rng.sample(CONTENT_TEMPLATES, rng.int(2, 4));
    const maxTokens = rng.pick([2048, 4096]);
    const model = rng.pick(ctx.models.chat);
    const tenants = rng.int(8, 30);
    for (let t = 0; t < tenants; t++) {
      const system = fill(
        rng,
        `You are the writing assistant of ${productName(rng)} {Realty|Outfitters|Dental|Bakery|Consulting|Travel|Fitness|Legal}. Write in the brand's {warm|confident|playful|formal} voice for its {customers|clients|members}.`,
      );
      const total = volume(rng, 8 * days(ctx), 1.0, 5, 3000);
      const users = Array.from({ length: Math.max(3, Math.round(total / rng.float(2, 8))) }, () =>
        mintUser(rng),
      );
      const schedule = rhythmSchedule(rng, ctx.start, ctx.end, rhythm(rng, 'office', 0.4), total);
      plans.push(
        keyPlan(rng, {
          org,
          label: { persona: 'tenant_platform', attack: false, campaign: null },
          client,
          ips,
          schedule,
          make: (_i, g) =>
            chatRequest(g, {
              model,
              messages: withSystem(system, [{ role: 'user', content: fill(g, g.pick(templates)) }]),
              maxTokens,
              temperature: 0.7,
              user: g.pick(users),
              answer: { median: 800, sigma: 0.4 },
            }),
        }),
      );
    }
  }
  return plans;
}
