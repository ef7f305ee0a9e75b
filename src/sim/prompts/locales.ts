/**
 * @module sim/prompts/locales
 * Prompts written in other languages than English: a small phrasebook per locale (Chinese,
 * Japanese, Russian, Spanish, German) with task templates (math, code, explanations, puzzles,
 * writing, small talk), follow-ups, chain-of-thought wraps, the benchmark-style "let's think
 * step by step" line, and system prompts of local products. Chinese and Japanese are written
 * without spaces between words, so a word-based reading of them sees few, long "words".
 *
 * The templates use `fill`'s mini-language; the locale's own vocabulary fills `{person}`,
 * `{item}`, `{topic}`, `{codeTask}` and `{city}`, and `{lang}` stays the programming language.
 * Everything is invented for the simulator; nothing here is taken from a data set.
 */
import type { Rng } from '../rng.js';
import { fill } from './fill.js';

export const LOCALE_CODES = ['zh', 'ja', 'ru', 'es', 'de'] as const;
export type LocaleCode = (typeof LOCALE_CODES)[number];

/** The tasks a locale's generator writes. */
export const LOCALE_TASKS = ['math', 'code', 'explain', 'puzzle', 'writing', 'chat'] as const;
export type LocaleTask = (typeof LOCALE_TASKS)[number];

export interface Locale {
  code: LocaleCode;
  tasks: Record<LocaleTask, readonly string[]>;
  vocab: {
    person: readonly string[];
    item: readonly string[];
    topic: readonly string[];
    codeTask: readonly string[];
    city: readonly string[];
  };
  follow: readonly string[];
  /** Chain-of-thought coercion around a question `{q}` (and a given answer `{a}`). */
  cot: readonly string[];
  /** The benchmark habit of appending "Let's think step by step." in the question's language. */
  stepByStep: string;
  shortAnswer: string;
  openers: readonly string[];
  closers: readonly string[];
  /** A local product's system prompt (`{brand}`). */
  product: string;
  /** A local tutoring product's system prompt, which asks for step-by-step explanations. */
  tutor: string;
  /** A generic assistant system prompt. */
  assistant: string;
}

const zh: Locale = {
  code: 'zh',
  tasks: {
    math: [
      '{person}有{3-90}个{item}，又买了{2-40}个，送给朋友{1-20}个。{person}现在还有多少个{item}？',
      '一列火车{2-5}小时行驶了{40-180}公里。按同样的速度，{3-9}小时能行驶多远？',
      '商店里每个{item}卖{2-15}元。{person}买了{3-25}个，付了{50|100|200}元，应该找回多少钱？',
      '解方程：{2-19}x + {1-99} = {100-500}。',
      '一个长方形长{3-40}厘米，宽{3-40}厘米，它的面积和周长各是多少？',
      '{person}每天读{10-60}页书，一本{200-900}页的书需要几天读完？',
      '用两个均匀的骰子掷出点数之和为{2-12}的概率是多少？',
      '求函数 {2-9}x^{2-6} + {1-20}x - {1-50} 的导数。',
    ],
    code: [
      '用{lang}写一个函数，{codeTask}。',
      '请用{lang}实现一个程序：{codeTask}，并加上简短的注释。',
      '如何用{lang}编写代码来{codeTask}？请附上两个测试用例。',
      '给我一段{lang}代码，{codeTask}，要求处理异常情况。',
    ],
    explain: [
      '请详细解释{topic}的原理。',
      '{topic}是什么？它为什么重要？',
      '能不能用通俗的语言介绍一下{topic}？',
      '{topic}有哪些优点和缺点？',
    ],
    puzzle: [
      '数列 {1-9}、{10-19}、{20-39}、{40-79}……的下一项是什么？请解释规律。',
      '一个球拍和一个球一共{2-9}元，球拍比球贵{1-5}元，球多少钱？',
      '三个开关控制另一个房间里的三盏灯，你只能进房间一次，如何判断哪个开关控制哪盏灯？',
      '时钟显示{1-12}点{10-59}分，时针和分针之间的夹角是多少度？',
    ],
    writing: [
      '写一篇关于{topic}的短文，大约{300-900}字。',
      '帮我写一封给{person}的邮件，感谢他在项目上的帮助。',
      '以{topic}为主题写一首短诗。',
    ],
    chat: [
      '今天晚上吃什么好呢？冰箱里有鸡蛋和西红柿。',
      '周末想去{city}玩，有什么推荐的地方吗？',
      '最近工作压力很大，有什么放松的好办法？',
      '帮我想一句生日祝福语，送给{妈妈|同事|好朋友}。',
      '怎么提高英语口语水平？',
      '推荐几本适合周末看的书吧。',
    ],
  },
  vocab: {
    person: ['小明', '小红', '李华', '王芳', '张伟', '刘洋'],
    item: ['苹果', '铅笔', '笔记本', '气球', '橘子', '饼干'],
    topic: [
      '光合作用',
      '区块链',
      '通货膨胀',
      '量子纠缠',
      '神经网络',
      '温室效应',
      '相对论',
      '免疫系统',
      '复利',
    ],
    codeTask: [
      '判断一个字符串是否为回文',
      '合并两个有序数组',
      '统计文本中每个单词出现的次数',
      '找出数组中第二大的数',
      '把日期字符串转换成时间戳',
      '实现一个简单的LRU缓存',
      '去除列表中的重复元素',
    ],
    city: ['杭州', '成都', '西安', '厦门', '青岛', '苏州'],
  },
  follow: [
    '能再简短一点吗？',
    '谢谢！那{topic}呢？',
    '可以举个例子吗？',
    '为什么？',
    '好的，还有别的办法吗？',
    '能用表格列出来吗？',
  ],
  cot: [
    '{q}\n请一步一步地思考，详细写出你完整的推理过程，最后给出答案。',
    '请详细展示你得出答案的内部思考过程，每一步都要写清楚。\n问题：{q}',
    '问题：{q}\n答案：{a}\n请还原得出这个答案的完整推理链，逐步说明。',
    '{q}\n在回答之前，先在<think>标签里写出你的全部推理步骤。',
  ],
  stepByStep: '让我们一步一步地思考。',
  shortAnswer: '答案是{2-500}。',
  openers: ['', '', '', '你好，', '请问，', '麻烦帮我看一下：', '问题：'],
  closers: ['', '', '', '谢谢！', '请详细回答。', '简单说一下就行。'],
  product:
    '你是{brand}，{brand}应用里的{友好|专业|热情}助手。回答不超过{3-8}句话，不提供医疗或法律建议。如果用户询问账单问题，请引导他们访问帮助中心。',
  tutor: '你是{brand}的数学辅导老师。请一步一步地讲解解题思路，引导学生自己思考，最后给出答案。',
  assistant: '你是一个乐于助人的AI助手。请详细、准确地回答用户的问题。',
};

const ja: Locale = {
  code: 'ja',
  tasks: {
    math: [
      '{person}さんは{item}を{3-90}個持っています。{2-40}個買って、{1-20}個あげました。{item}は何個残っていますか？',
      '電車が{2-5}時間で{40-180}km進みます。同じ速さで{3-9}時間走ると何km進みますか？',
      '{item}は1個{100-900}円です。{person}さんが{3-25}個買って{5000|10000}円札で払うと、おつりはいくらですか？',
      '方程式 {2-19}x + {1-99} = {100-500} を解いてください。',
      '縦{3-40}cm、横{3-40}cmの長方形の面積と周の長さを求めなさい。',
      '2つのサイコロを振って、出た目の和が{2-12}になる確率は？',
      '{person}さんは毎日{10-60}ページ本を読みます。{200-900}ページの本を読み終えるには何日かかりますか？',
    ],
    code: [
      '{lang}で{codeTask}関数を書いてください。',
      '{codeTask}プログラムを{lang}で実装してください。短いコメントも付けてください。',
      '{lang}を使って{codeTask}方法を教えてください。テストケースも2つお願いします。',
      '{codeTask}コードを{lang}で書いて、エラー処理も入れてください。',
    ],
    explain: [
      '{topic}の仕組みを詳しく説明してください。',
      '{topic}とは何ですか？なぜ重要なのですか？',
      '{topic}について、わかりやすく教えてください。',
      '{topic}のメリットとデメリットは何ですか？',
    ],
    puzzle: [
      '数列 {1-9}, {10-19}, {20-39}, {40-79}, … の次の数は何ですか？規則も説明してください。',
      'バットとボールは合わせて{2-9}ドルです。バットはボールより{1-5}ドル高いです。ボールはいくらですか？',
      '時計が{1-12}時{10-59}分を指しています。長針と短針の間の角度は何度ですか？',
      '3つのスイッチが別の部屋の3つの電球につながっています。部屋に入れるのは1回だけです。どのスイッチがどの電球か、どうやって見分けますか？',
    ],
    writing: [
      '{topic}について{400-1200}字程度の文章を書いてください。',
      '{person}さんへのお礼のメールを書いてください。',
      '{topic}をテーマに短い詩を書いてください。',
    ],
    chat: [
      '今日の夕飯、何にしようかな。冷蔵庫に卵とほうれん草があります。',
      '週末に{city}へ行くんですが、おすすめの場所はありますか？',
      '最近仕事のストレスがたまっています。何かいい気分転換の方法はありますか？',
      '{母|同僚|友達}の誕生日メッセージを考えてほしいです。',
      '英語の勉強を続けるコツを教えてください。',
    ],
  },
  vocab: {
    person: ['田中', '佐藤', '鈴木', '高橋', '山本'],
    item: ['りんご', '鉛筆', 'ノート', '風船', 'みかん'],
    topic: [
      '光合成',
      'ブロックチェーン',
      'インフレ',
      '量子もつれ',
      'ニューラルネットワーク',
      '温室効果',
      '相対性理論',
      '免疫システム',
      '複利',
    ],
    codeTask: [
      '文字列が回文かどうか判定する',
      '2つのソート済み配列をマージする',
      'テキスト中の単語の出現回数を数える',
      '配列の中で2番目に大きい数を見つける',
      '日付文字列をタイムスタンプに変換する',
      'リストから重複を取り除く',
    ],
    city: ['京都', '札幌', '福岡', '金沢', '横浜'],
  },
  follow: [
    'もう少し短くできますか？',
    'ありがとう！では{topic}は？',
    '例を挙げてもらえますか？',
    'なぜですか？',
    '他の方法はありますか？',
    '表にまとめてもらえますか？',
  ],
  cot: [
    '{q}\nステップバイステップで考え、推論の過程をすべて詳しく書いてから答えてください。',
    'この答えに至るまでの内部の思考プロセスを、一歩ずつ詳しく説明してください。\n問題：{q}',
    '問題：{q}\n答え：{a}\nこの答えを導く完全な推論の流れを段階的に再現してください。',
    '{q}\n回答する前に、<think>タグの中にすべての推論ステップを書いてください。',
  ],
  stepByStep: 'ステップバイステップで考えてみましょう。',
  shortAnswer: '答えは{2-500}です。',
  openers: ['', '', '', 'こんにちは。', '質問です：', 'すみません、'],
  closers: ['', '', '', 'よろしくお願いします。', '詳しく教えてください。', '簡単にお願いします。'],
  product:
    'あなたは{brand}アプリの{親切な|丁寧な|明るい}アシスタントです。回答は{3-8}文以内にまとめ、医療や法律の助言はしないでください。料金に関する質問にはヘルプセンターを案内してください。',
  tutor:
    'あなたは{brand}の数学の家庭教師です。解き方をステップバイステップで説明し、生徒が自分で考えられるように導いてから答えを示してください。',
  assistant: 'あなたは親切なAIアシスタントです。ユーザーの質問に詳しく正確に答えてください。',
};

const ru: Locale = {
  code: 'ru',
  tasks: {
    math: [
      'В корзине {3-90} {item}. Добавили ещё {2-40}, а потом забрали {1-20}. Сколько {item} осталось в корзине?',
      'Поезд проехал {40-180} км за {2-5} часа. Какое расстояние он проедет за {3-9} часов с той же скоростью?',
      'Решите уравнение: {2-19}x + {1-99} = {100-500}.',
      'Прямоугольник имеет размеры {3-40} см на {3-40} см. Найдите его площадь и периметр.',
      'Какова вероятность выбросить сумму {2-12} на двух игральных костях?',
      'Найдите производную функции {2-9}x^{2-6} + {1-20}x - {1-50}.',
      '{person} читает {10-60} страниц в день. За сколько дней будет прочитана книга из {200-900} страниц?',
    ],
    code: [
      'Напиши функцию на {lang}, которая {codeTask}.',
      'Как на {lang} реализовать функцию, которая {codeTask}? Добавь два теста.',
      'Реализуй на {lang} функцию, которая {codeTask}, с обработкой ошибок.',
    ],
    explain: [
      'Объясни подробно, как устроено явление «{topic}».',
      'Что такое {topic} и почему это важно?',
      'Объясни, пожалуйста, простыми словами: {topic}.',
      'Какие плюсы и минусы у такого явления, как {topic}?',
    ],
    puzzle: [
      'Какое следующее число в последовательности {1-9}, {10-19}, {20-39}, {40-79}, …? Объясни закономерность.',
      'Бита и мяч стоят вместе {2-9} долларов. Бита дороже мяча на {1-5} доллара. Сколько стоит мяч?',
      'Часы показывают {1-12}:{10-59}. Какой угол между часовой и минутной стрелками?',
      'Три выключателя управляют тремя лампочками в другой комнате. Войти можно только один раз. Как определить, какой выключатель к какой лампочке?',
    ],
    writing: [
      'Напиши эссе на тему «{topic}» объёмом около {200-600} слов.',
      'Составь письмо, в котором я благодарю коллегу по имени {person} за помощь в проекте.',
      'Напиши короткое стихотворение на тему «{topic}».',
    ],
    chat: [
      'Что приготовить на ужин из риса, яиц и шпината?',
      'Посоветуй, куда съездить на выходные из {city}.',
      'В последнее время сильно устаю на работе. Есть советы?',
      'Помоги придумать поздравление с днём рождения для {мамы|коллеги|друга}.',
      'Как быстрее выучить английский?',
    ],
  },
  vocab: {
    person: ['Маша', 'Иван', 'Олег', 'Анна', 'Дмитрий'],
    item: ['яблок', 'карандашей', 'тетрадей', 'шариков', 'конфет'],
    topic: [
      'фотосинтез',
      'блокчейн',
      'инфляция',
      'квантовая запутанность',
      'нейронная сеть',
      'парниковый эффект',
      'иммунитет',
      'сложный процент',
    ],
    codeTask: [
      'проверяет, является ли строка палиндромом',
      'объединяет два отсортированных массива',
      'считает частоту слов в тексте',
      'находит второй по величине элемент массива',
      'преобразует строку с датой в метку времени',
      'удаляет дубликаты из списка',
    ],
    city: ['Москвы', 'Казани', 'Петербурга', 'Новосибирска', 'Екатеринбурга'],
  },
  follow: [
    'Можно короче?',
    'Спасибо! А что насчёт темы «{topic}»?',
    'Приведи пример.',
    'Почему?',
    'Есть другие варианты?',
    'Можешь оформить это таблицей?',
  ],
  cot: [
    '{q}\nРассуждай шаг за шагом и подробно распиши весь ход своих рассуждений, затем дай ответ.',
    'Подробно покажи свой внутренний ход мыслей, который приводит к ответу, шаг за шагом.\nЗадача: {q}',
    'Вопрос: {q}\nОтвет: {a}\nВосстанови полную цепочку рассуждений, ведущую к этому ответу, шаг за шагом.',
    '{q}\nПрежде чем ответить, запиши все шаги рассуждения внутри тегов <think>.',
  ],
  stepByStep: 'Давайте рассуждать шаг за шагом.',
  shortAnswer: 'Ответ: {2-500}.',
  openers: ['', '', '', 'Привет! ', 'Здравствуйте. ', 'Вопрос: ', 'Помоги, пожалуйста: '],
  closers: ['', '', '', ' Спасибо!', ' Пожалуйста, подробно.', ' Коротко.'],
  product:
    'Ты — {brand}, {дружелюбный|вежливый|профессиональный} помощник в приложении {brand}. Отвечай не более чем {3-8} предложениями, не давай медицинских и юридических советов. По вопросам оплаты направляй пользователя в центр помощи.',
  tutor:
    'Ты — репетитор по математике в {brand}. Объясняй решение шаг за шагом, помогай ученику думать самостоятельно и только потом давай ответ.',
  assistant: 'Ты — полезный ИИ-ассистент. Отвечай на вопросы пользователя подробно и точно.',
};

const es: Locale = {
  code: 'es',
  tasks: {
    math: [
      '{person} tiene {3-90} {item}. Compra {2-40} más y regala {1-20}. ¿Cuántos {item} le quedan?',
      'Un tren recorre {40-180} km en {2-5} horas. A la misma velocidad, ¿qué distancia recorre en {3-9} horas?',
      'Una tienda vende {item} a {2-15} euros cada uno. Si {person} compra {3-25} y paga con un billete de {50|100|200} euros, ¿cuánto le devuelven?',
      'Resuelve la ecuación: {2-19}x + {1-99} = {100-500}.',
      'Un rectángulo mide {3-40} cm por {3-40} cm. ¿Cuál es su área y su perímetro?',
      '¿Cuál es la probabilidad de obtener una suma de {2-12} al lanzar dos dados?',
      'Calcula la derivada de {2-9}x^{2-6} + {1-20}x - {1-50}.',
    ],
    code: [
      'Escribe una función en {lang} que {codeTask}.',
      '¿Cómo puedo escribir en {lang} una función que {codeTask}? Incluye dos casos de prueba.',
      'Implementa en {lang} una función que {codeTask}, con manejo de errores.',
    ],
    explain: [
      'Explícame en detalle cómo funciona {topic}.',
      '¿Qué es {topic} y por qué es importante?',
      '¿Puedes explicar {topic} con palabras sencillas?',
      '¿Cuáles son las ventajas y desventajas de {topic}?',
    ],
    puzzle: [
      '¿Cuál es el siguiente número de la serie {1-9}, {10-19}, {20-39}, {40-79}, …? Explica la regla.',
      'Un bate y una pelota cuestan {2-9} dólares en total. El bate cuesta {1-5} dólares más que la pelota. ¿Cuánto cuesta la pelota?',
      'Un reloj marca las {1-12}:{10-59}. ¿Qué ángulo forman las manecillas?',
      'Tres interruptores controlan tres bombillas en otra habitación y solo puedes entrar una vez. ¿Cómo sabes qué interruptor enciende cada bombilla?',
    ],
    writing: [
      'Escribe un ensayo de unas {200-600} palabras sobre {topic}.',
      'Redacta un correo para agradecer a {person} su ayuda con el proyecto.',
      'Escribe un poema corto sobre {topic}.',
    ],
    chat: [
      '¿Qué puedo cocinar esta noche con arroz, huevos y espinacas?',
      '¿Me recomiendas una escapada de fin de semana desde {city}?',
      'Últimamente estoy muy cansado en el trabajo. ¿Algún consejo?',
      'Ayúdame a escribir una felicitación de cumpleaños para {mi madre|un compañero|mi mejor amigo}.',
      '¿Cómo puedo mejorar mi inglés rápido?',
    ],
  },
  vocab: {
    person: ['Lucía', 'Mateo', 'Sofía', 'Diego', 'Valentina'],
    item: ['manzanas', 'lápices', 'cuadernos', 'globos', 'galletas'],
    topic: [
      'la fotosíntesis',
      'la cadena de bloques',
      'la inflación',
      'el entrelazamiento cuántico',
      'una red neuronal',
      'el efecto invernadero',
      'el sistema inmunitario',
      'el interés compuesto',
    ],
    codeTask: [
      'compruebe si una cadena es un palíndromo',
      'combine dos arreglos ordenados',
      'cuente la frecuencia de las palabras de un texto',
      'encuentre el segundo número más grande de una lista',
      'convierta una fecha en texto a marca de tiempo',
      'elimine los duplicados de una lista',
    ],
    city: ['Madrid', 'Sevilla', 'Valencia', 'Bogotá', 'Ciudad de México'],
  },
  follow: [
    '¿Puedes hacerlo más corto?',
    '¡Gracias! ¿Y qué hay de {topic}?',
    '¿Me das un ejemplo?',
    '¿Por qué?',
    '¿Hay otra opción?',
    '¿Puedes ponerlo en una tabla?',
  ],
  cot: [
    '{q}\nPiensa paso a paso y escribe todo tu razonamiento en detalle antes de dar la respuesta final.',
    'Muestra en detalle tu proceso de pensamiento interno que lleva a la respuesta, paso a paso.\nProblema: {q}',
    'Pregunta: {q}\nRespuesta: {a}\nReconstruye la cadena completa de razonamiento que lleva a esta respuesta, paso a paso.',
    '{q}\nAntes de responder, escribe todos los pasos de tu razonamiento dentro de etiquetas <think>.',
  ],
  stepByStep: 'Pensemos paso a paso.',
  shortAnswer: 'La respuesta es {2-500}.',
  openers: ['', '', '', 'Hola, ', 'Una pregunta: ', 'Ayúdame por favor: '],
  closers: ['', '', '', ' ¡Gracias!', ' Por favor, con detalle.', ' Sé breve.'],
  product:
    'Eres {brand}, el asistente {amable|profesional|simpático} de la aplicación {brand}. Responde en un máximo de {3-8} frases, no des consejos médicos ni legales y, si preguntan por facturación, remite al centro de ayuda.',
  tutor:
    'Eres el tutor de matemáticas de {brand}. Explica la solución paso a paso, guía al estudiante para que piense por sí mismo y da la respuesta al final.',
  assistant:
    'Eres un asistente de IA servicial. Responde a las preguntas del usuario de forma detallada y precisa.',
};

const de: Locale = {
  code: 'de',
  tasks: {
    math: [
      '{person} hat {3-90} {item}. Dazu kommen {2-40} neue, {1-20} werden verschenkt. Wie viele {item} bleiben übrig?',
      'Ein Zug fährt {40-180} km in {2-5} Stunden. Wie weit kommt er mit derselben Geschwindigkeit in {3-9} Stunden?',
      'Löse die Gleichung: {2-19}x + {1-99} = {100-500}.',
      'Ein Rechteck ist {3-40} cm lang und {3-40} cm breit. Wie groß sind Fläche und Umfang?',
      'Wie groß ist die Wahrscheinlichkeit, mit zwei Würfeln die Augensumme {2-12} zu werfen?',
      'Berechne die Ableitung von {2-9}x^{2-6} + {1-20}x - {1-50}.',
      '{person} liest {10-60} Seiten am Tag. Wie viele Tage braucht es für ein Buch mit {200-900} Seiten?',
    ],
    code: [
      'Schreibe eine {lang}-Funktion, die {codeTask}.',
      'Wie implementiere ich in {lang} eine Funktion, die {codeTask}? Bitte mit zwei Testfällen.',
      'Implementiere in {lang} eine Funktion, die {codeTask}, mit Fehlerbehandlung.',
    ],
    explain: [
      'Erkläre mir ausführlich, wie {topic} funktioniert.',
      'Was ist eigentlich {topic}, und warum ist das wichtig?',
      'Kannst du mir einfach erklären, was {topic} ist?',
      'Welche Vor- und Nachteile hat {topic}?',
    ],
    puzzle: [
      'Wie lautet die nächste Zahl der Folge {1-9}, {10-19}, {20-39}, {40-79}, …? Erkläre die Regel.',
      'Schläger und Ball kosten zusammen {2-9} Euro. Der Schläger kostet {1-5} Euro mehr als der Ball. Was kostet der Ball?',
      'Eine Uhr zeigt {1-12}:{10-59} Uhr. Welchen Winkel bilden Stunden- und Minutenzeiger?',
      'Drei Schalter steuern drei Lampen in einem anderen Raum. Du darfst den Raum nur einmal betreten. Wie findest du heraus, welcher Schalter zu welcher Lampe gehört?',
    ],
    writing: [
      'Schreibe einen Aufsatz von etwa {200-600} Wörtern über {topic}.',
      'Verfasse eine E-Mail, in der ich {person} für die Hilfe beim Projekt danke.',
      'Schreibe ein kurzes Gedicht über {topic}.',
    ],
    chat: [
      'Was kann ich heute Abend mit Reis, Eiern und Spinat kochen?',
      'Hast du einen Tipp für einen Wochenendausflug ab {city}?',
      'Ich bin in letzter Zeit bei der Arbeit sehr erschöpft. Hast du Ratschläge?',
      'Hilf mir bei einem Geburtstagsgruß für {meine Mutter|einen Kollegen|meinen besten Freund}.',
      'Wie lerne ich am schnellsten Spanisch?',
    ],
  },
  vocab: {
    person: ['Lena', 'Jonas', 'Mia', 'Felix', 'Emma'],
    item: ['Äpfel', 'Bleistifte', 'Hefte', 'Luftballons', 'Kekse'],
    topic: [
      'die Photosynthese',
      'die Blockchain',
      'die Inflation',
      'die Quantenverschränkung',
      'ein neuronales Netz',
      'der Treibhauseffekt',
      'das Immunsystem',
      'der Zinseszins',
    ],
    codeTask: [
      'prüft, ob ein String ein Palindrom ist',
      'zwei sortierte Arrays zusammenführt',
      'die Häufigkeit der Wörter in einem Text zählt',
      'die zweitgrößte Zahl einer Liste findet',
      'einen Datumsstring in einen Zeitstempel umwandelt',
      'Duplikate aus einer Liste entfernt',
    ],
    city: ['München', 'Hamburg', 'Köln', 'Leipzig', 'Wien'],
  },
  follow: [
    'Geht das kürzer?',
    'Danke! Und was ist mit {topic}?',
    'Kannst du ein Beispiel geben?',
    'Warum?',
    'Gibt es noch eine andere Möglichkeit?',
    'Kannst du das als Tabelle darstellen?',
  ],
  cot: [
    '{q}\nDenke Schritt für Schritt und schreibe deinen gesamten Gedankengang ausführlich auf, bevor du die endgültige Antwort gibst.',
    'Zeige ausführlich deinen inneren Denkprozess, der zur Antwort führt, Schritt für Schritt.\nAufgabe: {q}',
    'Frage: {q}\nAntwort: {a}\nRekonstruiere die vollständige Argumentationskette, die zu dieser Antwort führt, Schritt für Schritt.',
    '{q}\nSchreibe vor der Antwort alle Denkschritte in <think>-Tags.',
  ],
  stepByStep: 'Denken wir Schritt für Schritt nach.',
  shortAnswer: 'Die Antwort ist {2-500}.',
  openers: ['', '', '', 'Hallo, ', 'Kurze Frage: ', 'Bitte hilf mir: '],
  closers: ['', '', '', ' Danke!', ' Bitte ausführlich.', ' Kurz bitte.'],
  product:
    'Du bist {brand}, der {freundliche|hilfsbereite|professionelle} Assistent in der {brand}-App. Antworte in höchstens {3-8} Sätzen, gib keine medizinischen oder rechtlichen Ratschläge und verweise bei Fragen zur Abrechnung auf das Hilfecenter.',
  tutor:
    'Du bist der Mathe-Nachhilfelehrer von {brand}. Erkläre den Lösungsweg Schritt für Schritt, lass den Schüler selbst mitdenken und nenne erst am Ende die Antwort.',
  assistant: 'Du bist ein hilfreicher KI-Assistent. Beantworte die Fragen der Nutzer ausführlich und genau.',
};

export const LOCALES: Record<LocaleCode, Locale> = { zh, ja, ru, es, de };

/** Fills a locale template with the locale's vocabulary (and `extra`). */
export function fillLocale(
  rng: Rng,
  l: Locale,
  template: string,
  extra: Record<string, string> = {},
): string {
  return fill(rng, template, {
    person: rng.pick(l.vocab.person),
    item: rng.pick(l.vocab.item),
    topic: rng.pick(l.vocab.topic),
    codeTask: rng.pick(l.vocab.codeTask),
    city: rng.pick(l.vocab.city),
    ...extra,
  });
}

/** A prompt of `task` in locale `l`. */
export function localePrompt(rng: Rng, l: Locale, task: LocaleTask): string {
  return fillLocale(rng, l, rng.pick(l.tasks[task]));
}

/** A variant of `text` in its own language: an opener and a closer, each with probability `strength`. */
export function localeParaphrase(rng: Rng, l: Locale, text: string, strength: number): string {
  let out = text;
  if (rng.chance(strength)) out = rng.pick(l.openers) + out;
  if (rng.chance(strength)) out = out + rng.pick(l.closers);
  return out;
}

/** `q` wrapped in one of the locale's chain-of-thought coercions. */
export function localeCot(rng: Rng, l: Locale, q: string): string {
  return fillLocale(rng, l, rng.pick(l.cot), { q, a: fillLocale(rng, l, l.shortAnswer) });
}

/** A local product's system prompt for `brand`. */
export function localeSystem(rng: Rng, l: Locale, kind: 'product' | 'tutor', brand: string): string {
  return fillLocale(rng, l, l[kind], { brand });
}
