import { describe, expect, it } from 'vitest';
import {
  COT_OTHER_LANGUAGES,
  COT_PATTERNS,
  GRADING_OTHER_LANGUAGES,
  GRADING_PATTERNS,
  probeText,
} from '../../src/events/probes.js';

const byExpressions = (expressions: readonly RegExp[], system: string, user: string) =>
  expressions.some((re) => re.test(system ? `${system}\n${user}` : user));

describe('probeText in other languages than English', () => {
  const cot: string[] = [
    '请一步一步地思考，然后给出答案。',
    '在回答之前，写出你完整的推理过程。',
    'ステップバイステップで考えてください。',
    'この答えに至る推論の過程を説明してください。',
    '단계별로 생각해 보세요.',
    'Рассуждай шаг за шагом.',
    'Распиши весь ход своих рассуждений.',
    'Міркуй крок за кроком.',
    'Piensa paso a paso antes de responder.',
    'Muestra tu razonamiento completo.',
    'Explique seu raciocínio passo a passo.',
    'Mostra il tuo ragionamento dettagliato.',
    'Réfléchis étape par étape.',
    'Montre ton raisonnement.',
    'Schreibe deinen Gedankengang auf.',
    'Denke Schritt fuer Schritt nach.',
    'Denk stap voor stap na.',
    'Pokaż twoje rozumowanie krok po kroku.',
  ];
  const plain: string[] = [
    '请用简单的语言解释光合作用。',
    '我们公司正在逐步推进数字化转型。',
    '段階的に導入する予定です。',
    '{topic}에 대해 간단히 설명해 주세요.',
    'Объясни, пожалуйста, что такое инфляция.',
    '¿Puedes explicar la inflación en pocas palabras?',
    'Peux-tu m’expliquer la photosynthèse simplement ?',
    'Kannst du mir die Inflation einfach erklären?',
    'Un paso más y llegamos.',
    'Tu casa es muy bonita.',
    'Unter der Rubrik „Aktuelles“ finden Sie alle Termine.',
    'Ho salvato il numero nella rubrica del telefono.',
  ];
  it('finds chain-of-thought requests written in other languages', () => {
    for (const text of cot) expect(probeText('', text).cot, text).toBe(true);
    expect(probeText('你是一位数学老师，请一步一步地讲解。', '2+2=?').cot).toBe(true);
  });
  it('leaves ordinary requests in those languages alone', () => {
    for (const text of plain) expect(probeText('', text).cot, text).toBe(false);
    for (const text of plain) expect(probeText('', text).grading, text).toBe(false);
  });
  it('finds grading requests written in other languages', () => {
    const grading = [
      '请根据评分标准给这个回答打分。',
      'どちらの回答が良いですか？',
      'Оцените ответ по шкале от 1 до 10.',
      'Califica la respuesta en una escala de 1 a 10.',
      'Bewerte die Antwort auf einer Skala von 1 bis 5.',
      'Quelle réponse est la meilleure ?',
      'Usa la rubrica di valutazione seguente.',
      'Bewerte den Aufsatz mit dem Bewertungsraster.',
    ];
    for (const text of grading) expect(probeText('', text).grading, text).toBe(true);
  });

  /** ASCII words around the hints and phrases, so that ASCII-only texts reach the expressions. */
  const FRAGMENTS = [
    ...'paso|a|passo|dopo|stap|voor|schritt|fur|fuer|krok|po|za|kroku|cadena|de|cadeia|catena|chaine|di|d'.split(
      '|',
    ),
    ...'pensamiento|pensee|razonamiento|raciocinio|ragionamento|raisonnement|proceso|processo|processus|du'.split(
      '|',
    ),
    ...'gedankengang|Gedankengangs|denkprozesses|Denkschritten|argumentationskette|xgedankengang|tu|su|il tuo'.split(
      '|',
    ),
    ...'ton|votre|deinen|jouw|twoj|rozumowanie|interno|complet|detallado|en una|escala|del|1|10|auf einer|skala'.split(
      '|',
    ),
    ...'von|bis|sur une|echelle|que|respuesta|es|mejor|welche|antwort|ist|besser|califica|evalua|note|la|rubrica'.split(
      '|',
    ),
    ..."rubrik|pasos|passos|steps|é|ü|一步一步|шаг за шагом|推理过程|评分标准|di|valutazione|grille|d'evaluation".split(
      '|',
    ),
    ...'bewertungsraster|voor|beoordeling'.split('|'),
    // Characters outside ASCII that no expression names, and upper case of ones they do.
    ...'ñ|“|”|—|😀|\u00a0|ÉTAPE PAR ÉTAPE|ШАГ ЗА ШАГОМ|Ü|ẞ|ſ|K|\u1c80нутренний ход'.split('|'),
    ' ',
    ' ',
    ' ',
    '  ',
    '\n',
    '. ',
    ', ',
    '-',
  ];
  it('agrees with the expressions on random texts, ASCII-only ones included', () => {
    let s = 11;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    const text = (max: number) => {
      let out = '';
      for (let k = Math.floor(next() * max); k > 0; k--)
        out += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
      return out;
    };
    let asciiHits = 0;
    for (let i = 0; i < 20_000; i++) {
      const system = next() < 0.3 ? text(6) : '';
      const user = text(16);
      const label = JSON.stringify([system, user]);
      const scan = probeText(system, user);
      expect(scan.cot, label).toBe(byExpressions(COT_PATTERNS, system, user));
      expect(scan.grading, label).toBe(byExpressions(GRADING_PATTERNS, system, user));
      if (
        ![...(system + user)].some((ch) => ch.charCodeAt(0) > 127) &&
        (byExpressions(COT_OTHER_LANGUAGES, system, user) ||
          byExpressions(GRADING_OTHER_LANGUAGES, system, user))
      ) {
        asciiHits++;
      }
    }
    // The random texts do reach the other languages' expressions through ASCII words alone.
    expect(asciiHits).toBeGreaterThan(100);
  });
});
