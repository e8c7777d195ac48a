// Owns every user-visible string, in English, French, Spanish and Russian, and the choice of language.

import type { ErrorCode } from "../crypto";

export const LANGS = ["en", "fr", "es", "ru"] as const;
export type Lang = (typeof LANGS)[number];

/** Codes the page itself reports, besides the crypto core's and the API's. */
export type PageCode = "network" | "server" | "request_timeout" | "rate_limited" | "too_many_attempts" | "wrong_proof" | "invalid_proof" | "save_failed" | "no_fragment";

export interface Messages {
  readonly languageName: string;
  readonly languageLabel: string;
  readonly footer: string;
  readonly loading: string;

  readonly statusTitle: string;
  readonly statusIntro: string;
  readonly viewsOnce: string;
  viewsLeft(n: number): string;
  readonly viewsUnlimited: string;
  expires(relative: string, absolute: string): string;
  readonly needsPassphrase: string;
  splitInfo(needed: number, total: number): string;
  sizeInfo(size: string): string;
  readonly revealButton: string;
  readonly revealNoteOnce: string;
  readonly revealNote: string;
  readonly revealWhy: string;

  readonly partsTitle: string;
  partsYouOpened(ordinal: number, total: number, needed: number): string;
  readonly partsPasteLabel: string;
  readonly partsPasteHint: string;
  readonly partsHave: string;
  partChip(ordinal: number): string;
  partsMissing(missing: number): string;
  readonly partsReady: string;
  partLine(line: number, reason: string): string;
  readonly partNotALink: string;
  readonly partOtherSecret: string;
  readonly partOtherSplit: string;
  partDuplicate(ordinal: number): string;
  readonly partDamaged: string;
  readonly partWholeKey: string;

  readonly passTitle: string;
  readonly passIntro: string;
  readonly passLabel: string;
  readonly passShow: string;
  readonly passHide: string;
  readonly passSubmit: string;
  readonly passChecking: string;
  /** v1 secrets: a wrong passphrase told locally by the header (nothing counted). */
  readonly passWrong: string;
  /** v2 secrets: the server refused the passphrase and counted it; `n` attempts remain (n ≥ 1). */
  passWrongCounted(n: number): string;
  /** v2 secrets, under the field: what a wrong passphrase costs. */
  readonly passCounted: string;
  /** The server asks to wait before the next attempt (429 too_many_attempts, Retry-After). */
  passWait(seconds: number): string;
  readonly passEmpty: string;

  readonly revealing: string;
  progress(done: string, total: string): string;

  readonly textTitle: string;
  readonly textLabel: string;
  readonly copy: string;
  readonly copied: string;
  readonly copyFailed: string;
  readonly lastViewText: string;
  readonly lastViewFile: string;
  moreViews(n: number): string;
  readonly viewsUntilExpiry: string;
  readonly burnButton: string;
  readonly burnNote: string;
  readonly burned: string;

  readonly fileTitle: string;
  readonly fileName: string;
  readonly fileSize: string;
  readonly fileType: string;
  readonly saveButton: string;
  readonly saveNote: string;
  readonly saving: string;
  readonly saved: string;

  readonly unavailableTitle: string;
  readonly unavailableText: string;
  readonly unavailableHint: string;

  /** The last wrong passphrase the server allowed destroyed the secret. */
  readonly destroyedTitle: string;
  readonly destroyedText: string;

  readonly errorTitle: string;
  readonly linkErrorTitle: string;
  readonly damagedTitle: string;
  reference(id: string): string;
  readonly tryAgain: string;
  readonly viewMayBeUsed: string;
  wrongProof(attemptsLeft: number | null): string;
  readonly errors: Record<ErrorCode | Exclude<PageCode, "wrong_proof">, string>;
}

function plural(lang: Lang, n: number, forms: { one: string; few?: string; many?: string; other: string }): string {
  const rule = new Intl.PluralRules(lang).select(n);
  const form = rule === "one" ? forms.one : rule === "few" ? (forms.few ?? forms.other) : rule === "many" ? (forms.many ?? forms.other) : forms.other;
  return form.replace("{n}", new Intl.NumberFormat(lang).format(n));
}

const en: Messages = {
  languageName: "English",
  languageLabel: "Language",
  footer: "Decrypted in your browser. The key is in your link and never reaches the server.",
  loading: "Checking the secret…",

  statusTitle: "Someone shared a secret with you",
  statusIntro: "It was encrypted on the sender’s device. Only your link can open it: the server cannot read it.",
  viewsOnce: "It can be viewed only once. After that it is gone for good.",
  viewsLeft: (n) => plural("en", n, { one: "It can be viewed {n} more time.", other: "It can be viewed {n} more times." }),
  viewsUnlimited: "It can be viewed any number of times until it expires.",
  expires: (rel, abs) => `It expires ${rel} (${abs}).`,
  needsPassphrase: "You will need the passphrase the sender gave you.",
  splitInfo: (k, n) => `The link was split into ${n} parts: ${k} of them are needed to open it.`,
  sizeInfo: (size) => `Size: about ${size}.`,
  revealButton: "Reveal the secret",
  revealNoteOnce: "Reveal it only when you are ready to copy or save it.",
  revealNote: "Revealing uses one view.",
  revealWhy: "Nothing is opened until you press the button, so link previews and mail scanners cannot use it up.",

  partsTitle: "Collect the parts of the link",
  partsYouOpened: (i, n, k) => `You opened part ${i} of ${n}. ${k} parts are needed to open the secret.`,
  partsPasteLabel: "Other parts of the link",
  partsPasteHint: "Paste the other part links you received, one per line.",
  partsHave: "Parts you have",
  partChip: (i) => `Part ${i}`,
  partsMissing: (m) => plural("en", m, { one: "{n} more part is needed.", other: "{n} more parts are needed." }),
  partsReady: "You have enough parts to open the secret.",
  partLine: (line, reason) => `Line ${line}: ${reason}`,
  partNotALink: "this is not a Wisp link.",
  partOtherSecret: "this part belongs to another secret.",
  partOtherSplit: "this part comes from a different split of the link.",
  partDuplicate: (i) => `part ${i} is already there.`,
  partDamaged: "this link is damaged or cut short.",
  partWholeKey: "this is a complete link: it opens the secret on its own.",

  passTitle: "This secret is protected by a passphrase",
  passIntro: "The sender should have given it to you separately, not in the link.",
  passLabel: "Passphrase",
  passShow: "Show",
  passHide: "Hide",
  passSubmit: "Unlock and reveal",
  passChecking: "Checking the passphrase…",
  passWrong: "This passphrase is not right. No view was used: you can try again.",
  passWrongCounted: (n) =>
    plural("en", n, {
      one: "Wrong passphrase. {n} attempt left before the secret is destroyed.",
      other: "Wrong passphrase. {n} attempts left before the secret is destroyed.",
    }),
  passCounted: "Wrong passphrases are counted: after too many, the secret is destroyed.",
  passWait: (s) =>
    plural("en", s, {
      one: "Too many attempts. Wait {n} second, then try again.",
      other: "Too many attempts. Wait {n} seconds, then try again.",
    }),
  passEmpty: "Enter the passphrase first.",

  revealing: "Decrypting the secret…",
  progress: (done, total) => `${done} of ${total}`,

  textTitle: "Here is your secret",
  textLabel: "Secret text",
  copy: "Copy",
  copied: "Copied",
  copyFailed: "Copying failed: select the text and copy it by hand.",
  lastViewText: "Copy it now: this was its last view, it will not be shown again.",
  lastViewFile: "Save it now: this was its last view, it will not be available again.",
  moreViews: (n) => plural("en", n, { one: "It can still be viewed {n} more time.", other: "It can still be viewed {n} more times." }),
  viewsUntilExpiry: "It can still be viewed until it expires.",
  burnButton: "Burn it now",
  burnNote: "Burning deletes it from the server so that no one else can view it.",
  burned: "Burned: it is gone from the server.",

  fileTitle: "A file was shared with you",
  fileName: "Name",
  fileSize: "Size",
  fileType: "Type",
  saveButton: "Save the file",
  saveNote: "It is decrypted in your browser as it downloads.",
  saving: "Saving…",
  saved: "Saved. You will find it in your downloads.",

  unavailableTitle: "This secret is no longer available",
  unavailableText: "It was viewed, burned or has expired. Secrets are deleted for good, so there is nothing left to show.",
  unavailableHint: "If you still need it, ask the sender to share it again.",

  destroyedTitle: "The secret was destroyed",
  destroyedText: "Wrong passphrase. The secret was destroyed after too many wrong passphrases, so it can no longer be opened.",

  errorTitle: "Something went wrong",
  linkErrorTitle: "This link does not work",
  damagedTitle: "The secret could not be opened",
  reference: (id) => `Reference: ${id}`,
  tryAgain: "Try again",
  viewMayBeUsed: "This attempt may have used a view.",
  wrongProof: (n) =>
    n === null
      ? "The server refused the key."
      : plural("en", n, {
          one: "The server refused the key. {n} more attempt is allowed before the secret is destroyed.",
          other: "The server refused the key. {n} more attempts are allowed before the secret is destroyed.",
        }),
  errors: {
    truncated: "The download was interrupted before the end, so what arrived was discarded. Check your connection and try again.",
    io: "The connection broke during the download, so what arrived was discarded. Check your connection and try again.",
    trailing_data: "The secret arrived with extra data after its end, so it was rejected for your safety.",
    segment_out_of_order: "The secret arrived scrambled (its pieces were out of order), so it was rejected for your safety.",
    segment_corrupted: "The secret arrived damaged and failed its integrity check, so it was rejected for your safety.",
    header_mismatch: "The secret on the server does not match this link, so it was rejected for your safety.",
    wrong_key: "This link’s key does not open the secret. Make sure you opened the whole link, exactly as you received it.",
    wrong_passphrase: "This passphrase is not right.",
    passphrase_required: "This secret needs a passphrase.",
    absurd_parameters: "This secret asks for unreasonable decryption settings, so it was not opened.",
    not_a_payload: "What the server holds is not a Wisp secret.",
    unsupported_version: "This was made by a newer version of Wisp, which this page cannot read yet.",
    invalid_metadata: "The secret was decrypted but is malformed: the sender’s app may be faulty.",
    invalid_padding: "The secret was decrypted but is malformed: the sender’s app may be faulty.",
    content_length: "The secret was decrypted but is malformed: the sender’s app may be faulty.",
    invalid_link: "The link is incomplete or damaged. Open the exact link you received, including everything after the # sign.",
    no_fragment: "The end of the link (after the # sign) is missing, and it holds the key. Open the exact link you received. If you reloaded this page, open the link again from where you got it.",
    invalid_part: "This part of the link is damaged.",
    invalid_split: "This part of the link is damaged.",
    not_enough_parts: "More parts of the link are needed.",
    duplicate_part: "The same part was given twice.",
    parts_mismatch: "These parts do not belong to the same link.",
    too_large: "This secret is too large for this page to open.",
    kdf: "The passphrase could not be processed.",
    network: "The server could not be reached. Check your connection and try again.",
    server: "The server had a problem. Please try again in a moment.",
    request_timeout: "The connection was too slow and the server stopped waiting. Check your connection and try again.",
    rate_limited: "Too many attempts from your network. Please wait a little and try again.",
    too_many_attempts: "Too many attempts. Wait a little, then try again.",
    invalid_proof: "The server refused the request.",
    save_failed: "The file could not be saved.",
  },
};

const fr: Messages = {
  languageName: "Français",
  languageLabel: "Langue",
  footer: "Déchiffré dans votre navigateur. La clé est dans votre lien et n’atteint jamais le serveur.",
  loading: "Vérification du secret…",

  statusTitle: "Quelqu’un vous a confié un secret",
  statusIntro: "Il a été chiffré sur l’appareil de l’expéditeur. Seul votre lien peut l’ouvrir : le serveur ne peut pas le lire.",
  viewsOnce: "Il ne peut être consulté qu’une seule fois. Ensuite, il disparaît définitivement.",
  viewsLeft: (n) => plural("fr", n, { one: "Il peut encore être consulté {n} fois.", other: "Il peut encore être consulté {n} fois." }),
  viewsUnlimited: "Il peut être consulté autant de fois que nécessaire jusqu’à son expiration.",
  expires: (rel, abs) => `Il expire ${rel} (${abs}).`,
  needsPassphrase: "Vous aurez besoin de la phrase secrète que l’expéditeur vous a donnée.",
  splitInfo: (k, n) => `Le lien a été divisé en ${n} parties : il en faut ${k} pour l’ouvrir.`,
  sizeInfo: (size) => `Taille : environ ${size}.`,
  revealButton: "Révéler le secret",
  revealNoteOnce: "Ne le révélez que lorsque vous êtes prêt à le copier ou à l’enregistrer.",
  revealNote: "Le révéler utilise une consultation.",
  revealWhy: "Rien n’est ouvert avant que vous n’appuyiez sur le bouton : les aperçus de liens et les analyseurs de courriels ne peuvent pas le consommer.",

  partsTitle: "Rassemblez les parties du lien",
  partsYouOpened: (i, n, k) => `Vous avez ouvert la partie ${i} sur ${n}. Il faut ${k} parties pour ouvrir le secret.`,
  partsPasteLabel: "Autres parties du lien",
  partsPasteHint: "Collez les liens des autres parties que vous avez reçus, un par ligne.",
  partsHave: "Parties en votre possession",
  partChip: (i) => `Partie ${i}`,
  partsMissing: (m) => plural("fr", m, { one: "Il manque encore {n} partie.", other: "Il manque encore {n} parties." }),
  partsReady: "Vous avez assez de parties pour ouvrir le secret.",
  partLine: (line, reason) => `Ligne ${line} : ${reason}`,
  partNotALink: "ce n’est pas un lien Wisp.",
  partOtherSecret: "cette partie appartient à un autre secret.",
  partOtherSplit: "cette partie provient d’une autre division du lien.",
  partDuplicate: (i) => `la partie ${i} est déjà là.`,
  partDamaged: "ce lien est abîmé ou incomplet.",
  partWholeKey: "c’est un lien complet : il ouvre le secret à lui seul.",

  passTitle: "Ce secret est protégé par une phrase secrète",
  passIntro: "L’expéditeur a dû vous la transmettre séparément, pas dans le lien.",
  passLabel: "Phrase secrète",
  passShow: "Afficher",
  passHide: "Masquer",
  passSubmit: "Déverrouiller et révéler",
  passChecking: "Vérification de la phrase secrète…",
  passWrong: "Cette phrase secrète n’est pas la bonne. Aucune consultation n’a été utilisée : vous pouvez réessayer.",
  passWrongCounted: (n) =>
    plural("fr", n, {
      one: "Phrase secrète incorrecte. Encore {n} tentative avant que le secret soit détruit.",
      other: "Phrase secrète incorrecte. Encore {n} tentatives avant que le secret soit détruit.",
    }),
  passCounted: "Les phrases secrètes erronées sont comptées : après trop d’essais, le secret est détruit.",
  passWait: (s) =>
    plural("fr", s, {
      one: "Trop de tentatives. Patientez {n} seconde, puis réessayez.",
      other: "Trop de tentatives. Patientez {n} secondes, puis réessayez.",
    }),
  passEmpty: "Saisissez d’abord la phrase secrète.",

  revealing: "Déchiffrement du secret…",
  progress: (done, total) => `${done} sur ${total}`,

  textTitle: "Voici votre secret",
  textLabel: "Texte secret",
  copy: "Copier",
  copied: "Copié",
  copyFailed: "La copie a échoué : sélectionnez le texte et copiez-le vous-même.",
  lastViewText: "Copiez-le maintenant : c’était sa dernière consultation, il ne sera plus affiché.",
  lastViewFile: "Enregistrez-le maintenant : c’était sa dernière consultation, il ne sera plus disponible.",
  moreViews: (n) => plural("fr", n, { one: "Il peut encore être consulté {n} fois.", other: "Il peut encore être consulté {n} fois." }),
  viewsUntilExpiry: "Il peut encore être consulté jusqu’à son expiration.",
  burnButton: "Le détruire maintenant",
  burnNote: "Le détruire le supprime du serveur : personne d’autre ne pourra le consulter.",
  burned: "Détruit : il n’existe plus sur le serveur.",

  fileTitle: "Quelqu’un vous a confié un fichier",
  fileName: "Nom",
  fileSize: "Taille",
  fileType: "Type",
  saveButton: "Enregistrer le fichier",
  saveNote: "Il est déchiffré dans votre navigateur au fil du téléchargement.",
  saving: "Enregistrement…",
  saved: "Enregistré. Vous le trouverez dans vos téléchargements.",

  unavailableTitle: "Ce secret n’est plus disponible",
  unavailableText: "Il a été consulté, détruit ou il a expiré. Les secrets sont supprimés définitivement : il n’y a plus rien à afficher.",
  unavailableHint: "Si vous en avez encore besoin, demandez à l’expéditeur de le partager à nouveau.",

  destroyedTitle: "Le secret a été détruit",
  destroyedText: "Phrase secrète incorrecte. Le secret a été détruit après trop de phrases secrètes erronées : il ne peut plus être ouvert.",

  errorTitle: "Un problème est survenu",
  linkErrorTitle: "Ce lien ne fonctionne pas",
  damagedTitle: "Le secret n’a pas pu être ouvert",
  reference: (id) => `Référence : ${id}`,
  tryAgain: "Réessayer",
  viewMayBeUsed: "Cette tentative a peut-être utilisé une consultation.",
  wrongProof: (n) =>
    n === null
      ? "Le serveur a refusé la clé."
      : plural("fr", n, {
          one: "Le serveur a refusé la clé. Encore {n} tentative avant que le secret soit détruit.",
          other: "Le serveur a refusé la clé. Encore {n} tentatives avant que le secret soit détruit.",
        }),
  errors: {
    truncated: "Le téléchargement a été interrompu avant la fin : ce qui était arrivé a été écarté. Vérifiez votre connexion et réessayez.",
    io: "La connexion a été coupée pendant le téléchargement : ce qui était arrivé a été écarté. Vérifiez votre connexion et réessayez.",
    trailing_data: "Le secret est arrivé avec des données en trop après sa fin : il a été rejeté pour votre sécurité.",
    segment_out_of_order: "Le secret est arrivé dans le désordre : il a été rejeté pour votre sécurité.",
    segment_corrupted: "Le secret est arrivé abîmé et n’a pas passé le contrôle d’intégrité : il a été rejeté pour votre sécurité.",
    header_mismatch: "Le secret sur le serveur ne correspond pas à ce lien : il a été rejeté pour votre sécurité.",
    wrong_key: "La clé de ce lien n’ouvre pas le secret. Vérifiez que vous avez ouvert le lien en entier, tel que vous l’avez reçu.",
    wrong_passphrase: "Cette phrase secrète n’est pas la bonne.",
    passphrase_required: "Ce secret demande une phrase secrète.",
    absurd_parameters: "Ce secret demande des paramètres de déchiffrement déraisonnables : il n’a pas été ouvert.",
    not_a_payload: "Ce que détient le serveur n’est pas un secret Wisp.",
    unsupported_version: "Ce secret a été créé par une version plus récente de Wisp, que cette page ne sait pas encore lire.",
    invalid_metadata: "Le secret a été déchiffré mais il est mal formé : l’application de l’expéditeur est peut-être défectueuse.",
    invalid_padding: "Le secret a été déchiffré mais il est mal formé : l’application de l’expéditeur est peut-être défectueuse.",
    content_length: "Le secret a été déchiffré mais il est mal formé : l’application de l’expéditeur est peut-être défectueuse.",
    invalid_link: "Le lien est incomplet ou abîmé. Ouvrez exactement le lien reçu, y compris tout ce qui suit le signe #.",
    no_fragment: "La fin du lien (après le signe #) manque, et c’est elle qui contient la clé. Ouvrez exactement le lien reçu. Si vous avez rechargé cette page, rouvrez le lien depuis l’endroit où vous l’avez reçu.",
    invalid_part: "Cette partie du lien est abîmée.",
    invalid_split: "Cette partie du lien est abîmée.",
    not_enough_parts: "Il faut davantage de parties du lien.",
    duplicate_part: "La même partie a été donnée deux fois.",
    parts_mismatch: "Ces parties n’appartiennent pas au même lien.",
    too_large: "Ce secret est trop volumineux pour être ouvert par cette page.",
    kdf: "La phrase secrète n’a pas pu être traitée.",
    network: "Le serveur est injoignable. Vérifiez votre connexion et réessayez.",
    server: "Le serveur a rencontré un problème. Réessayez dans un instant.",
    request_timeout: "La connexion était trop lente et le serveur a cessé d’attendre. Vérifiez votre connexion et réessayez.",
    rate_limited: "Trop de tentatives depuis votre réseau. Patientez un peu puis réessayez.",
    too_many_attempts: "Trop de tentatives. Patientez un peu, puis réessayez.",
    invalid_proof: "Le serveur a refusé la demande.",
    save_failed: "Le fichier n’a pas pu être enregistré.",
  },
};

const es: Messages = {
  languageName: "Español",
  languageLabel: "Idioma",
  footer: "Descifrado en tu navegador. La clave está en tu enlace y nunca llega al servidor.",
  loading: "Comprobando el secreto…",

  statusTitle: "Alguien ha compartido un secreto contigo",
  statusIntro: "Se cifró en el dispositivo de quien lo envió. Solo tu enlace puede abrirlo: el servidor no puede leerlo.",
  viewsOnce: "Solo se puede ver una vez. Después desaparecerá para siempre.",
  viewsLeft: (n) => plural("es", n, { one: "Se puede ver {n} vez más.", other: "Se puede ver {n} veces más." }),
  viewsUnlimited: "Se puede ver tantas veces como quieras hasta que caduque.",
  expires: (rel, abs) => `Caduca ${rel} (${abs}).`,
  needsPassphrase: "Necesitarás la frase de contraseña que te dio quien lo envió.",
  splitInfo: (k, n) => `El enlace se dividió en ${n} partes: se necesitan ${k} para abrirlo.`,
  sizeInfo: (size) => `Tamaño: unos ${size}.`,
  revealButton: "Revelar el secreto",
  revealNoteOnce: "Revélalo solo cuando estés listo para copiarlo o guardarlo.",
  revealNote: "Revelarlo consume una visualización.",
  revealWhy: "No se abre nada hasta que pulses el botón, así que las vistas previas de enlaces y los analizadores de correo no pueden gastarlo.",

  partsTitle: "Reúne las partes del enlace",
  partsYouOpened: (i, n, k) => `Has abierto la parte ${i} de ${n}. Se necesitan ${k} partes para abrir el secreto.`,
  partsPasteLabel: "Otras partes del enlace",
  partsPasteHint: "Pega los enlaces de las otras partes que recibiste, uno por línea.",
  partsHave: "Partes que tienes",
  partChip: (i) => `Parte ${i}`,
  partsMissing: (m) => plural("es", m, { one: "Falta {n} parte más.", other: "Faltan {n} partes más." }),
  partsReady: "Tienes suficientes partes para abrir el secreto.",
  partLine: (line, reason) => `Línea ${line}: ${reason}`,
  partNotALink: "no es un enlace de Wisp.",
  partOtherSecret: "esta parte pertenece a otro secreto.",
  partOtherSplit: "esta parte viene de otra división del enlace.",
  partDuplicate: (i) => `la parte ${i} ya está.`,
  partDamaged: "este enlace está dañado o incompleto.",
  partWholeKey: "es un enlace completo: abre el secreto por sí solo.",

  passTitle: "Este secreto está protegido con una frase de contraseña",
  passIntro: "Quien lo envió debería habértela dado por separado, no en el enlace.",
  passLabel: "Frase de contraseña",
  passShow: "Mostrar",
  passHide: "Ocultar",
  passSubmit: "Desbloquear y revelar",
  passChecking: "Comprobando la frase de contraseña…",
  passWrong: "Esta frase de contraseña no es correcta. No se ha gastado ninguna visualización: puedes volver a intentarlo.",
  passWrongCounted: (n) =>
    plural("es", n, {
      one: "Frase de contraseña incorrecta. Queda {n} intento antes de que el secreto se destruya.",
      other: "Frase de contraseña incorrecta. Quedan {n} intentos antes de que el secreto se destruya.",
    }),
  passCounted: "Las frases de contraseña incorrectas se cuentan: tras demasiados intentos, el secreto se destruye.",
  passWait: (s) =>
    plural("es", s, {
      one: "Demasiados intentos. Espera {n} segundo y vuelve a intentarlo.",
      other: "Demasiados intentos. Espera {n} segundos y vuelve a intentarlo.",
    }),
  passEmpty: "Escribe primero la frase de contraseña.",

  revealing: "Descifrando el secreto…",
  progress: (done, total) => `${done} de ${total}`,

  textTitle: "Aquí está tu secreto",
  textLabel: "Texto secreto",
  copy: "Copiar",
  copied: "Copiado",
  copyFailed: "No se pudo copiar: selecciona el texto y cópialo a mano.",
  lastViewText: "Cópialo ahora: era su última visualización, no se volverá a mostrar.",
  lastViewFile: "Guárdalo ahora: era su última visualización, no volverá a estar disponible.",
  moreViews: (n) => plural("es", n, { one: "Aún se puede ver {n} vez más.", other: "Aún se puede ver {n} veces más." }),
  viewsUntilExpiry: "Aún se puede ver hasta que caduque.",
  burnButton: "Destruirlo ahora",
  burnNote: "Destruirlo lo borra del servidor para que nadie más pueda verlo.",
  burned: "Destruido: ya no está en el servidor.",

  fileTitle: "Alguien ha compartido un archivo contigo",
  fileName: "Nombre",
  fileSize: "Tamaño",
  fileType: "Tipo",
  saveButton: "Guardar el archivo",
  saveNote: "Se descifra en tu navegador a medida que se descarga.",
  saving: "Guardando…",
  saved: "Guardado. Lo encontrarás en tus descargas.",

  unavailableTitle: "Este secreto ya no está disponible",
  unavailableText: "Ya se vio, se destruyó o caducó. Los secretos se borran para siempre, así que no queda nada que mostrar.",
  unavailableHint: "Si aún lo necesitas, pide a quien lo envió que lo comparta de nuevo.",

  destroyedTitle: "El secreto se ha destruido",
  destroyedText: "Frase de contraseña incorrecta. El secreto se destruyó tras demasiadas frases de contraseña incorrectas, así que ya no se puede abrir.",

  errorTitle: "Algo salió mal",
  linkErrorTitle: "Este enlace no funciona",
  damagedTitle: "No se pudo abrir el secreto",
  reference: (id) => `Referencia: ${id}`,
  tryAgain: "Reintentar",
  viewMayBeUsed: "Es posible que este intento haya gastado una visualización.",
  wrongProof: (n) =>
    n === null
      ? "El servidor rechazó la clave."
      : plural("es", n, {
          one: "El servidor rechazó la clave. Queda {n} intento antes de que el secreto se destruya.",
          other: "El servidor rechazó la clave. Quedan {n} intentos antes de que el secreto se destruya.",
        }),
  errors: {
    truncated: "La descarga se interrumpió antes del final, así que se descartó lo recibido. Comprueba tu conexión y vuelve a intentarlo.",
    io: "La conexión se cortó durante la descarga, así que se descartó lo recibido. Comprueba tu conexión y vuelve a intentarlo.",
    trailing_data: "El secreto llegó con datos de más después de su final, así que se rechazó por tu seguridad.",
    segment_out_of_order: "El secreto llegó desordenado, así que se rechazó por tu seguridad.",
    segment_corrupted: "El secreto llegó dañado y no superó la comprobación de integridad, así que se rechazó por tu seguridad.",
    header_mismatch: "El secreto del servidor no corresponde a este enlace, así que se rechazó por tu seguridad.",
    wrong_key: "La clave de este enlace no abre el secreto. Asegúrate de haber abierto el enlace completo, tal como lo recibiste.",
    wrong_passphrase: "Esta frase de contraseña no es correcta.",
    passphrase_required: "Este secreto necesita una frase de contraseña.",
    absurd_parameters: "Este secreto pide parámetros de descifrado desmesurados, así que no se abrió.",
    not_a_payload: "Lo que guarda el servidor no es un secreto de Wisp.",
    unsupported_version: "Se creó con una versión más reciente de Wisp que esta página aún no sabe leer.",
    invalid_metadata: "El secreto se descifró, pero está mal formado: puede que la aplicación de quien lo envió falle.",
    invalid_padding: "El secreto se descifró, pero está mal formado: puede que la aplicación de quien lo envió falle.",
    content_length: "El secreto se descifró, pero está mal formado: puede que la aplicación de quien lo envió falle.",
    invalid_link: "El enlace está incompleto o dañado. Abre exactamente el enlace que recibiste, incluido todo lo que va después del signo #.",
    no_fragment: "Falta el final del enlace (después del signo #), que contiene la clave. Abre exactamente el enlace que recibiste. Si recargaste esta página, vuelve a abrir el enlace desde donde lo recibiste.",
    invalid_part: "Esta parte del enlace está dañada.",
    invalid_split: "Esta parte del enlace está dañada.",
    not_enough_parts: "Se necesitan más partes del enlace.",
    duplicate_part: "Se dio la misma parte dos veces.",
    parts_mismatch: "Estas partes no pertenecen al mismo enlace.",
    too_large: "Este secreto es demasiado grande para que esta página lo abra.",
    kdf: "No se pudo procesar la frase de contraseña.",
    network: "No se pudo contactar con el servidor. Comprueba tu conexión y vuelve a intentarlo.",
    server: "El servidor tuvo un problema. Vuelve a intentarlo en un momento.",
    request_timeout: "La conexión era demasiado lenta y el servidor dejó de esperar. Comprueba tu conexión y vuelve a intentarlo.",
    rate_limited: "Demasiados intentos desde tu red. Espera un poco y vuelve a intentarlo.",
    too_many_attempts: "Demasiados intentos. Espera un poco y vuelve a intentarlo.",
    invalid_proof: "El servidor rechazó la solicitud.",
    save_failed: "No se pudo guardar el archivo.",
  },
};

/** "2 части", "5 частей": Russian needs the noun declined with the number. */
function ruParts(n: number): string {
  return plural("ru", n, { one: "{n} часть", few: "{n} части", many: "{n} частей", other: "{n} части" });
}

const ru: Messages = {
  languageName: "Русский",
  languageLabel: "Язык",
  footer: "Расшифровано в вашем браузере. Ключ находится в вашей ссылке и никогда не попадает на сервер.",
  loading: "Проверяем секрет…",

  statusTitle: "С вами поделились секретом",
  statusIntro: "Он был зашифрован на устройстве отправителя. Открыть его может только ваша ссылка: сервер не может его прочитать.",
  viewsOnce: "Его можно просмотреть только один раз. После этого он исчезнет навсегда.",
  viewsLeft: (n) =>
    plural("ru", n, {
      one: "Его можно просмотреть ещё {n} раз.",
      few: "Его можно просмотреть ещё {n} раза.",
      many: "Его можно просмотреть ещё {n} раз.",
      other: "Его можно просмотреть ещё {n} раза.",
    }),
  viewsUnlimited: "Его можно просматривать сколько угодно раз, пока не истечёт срок.",
  expires: (rel, abs) => `Срок действия истекает ${rel} (${abs}).`,
  needsPassphrase: "Понадобится кодовая фраза, которую вам дал отправитель.",
  splitInfo: (k, n) => `Ссылка разделена на ${ruParts(n)}: чтобы открыть её, нужно собрать ${ruParts(k)}.`,
  sizeInfo: (size) => `Размер: около ${size}.`,
  revealButton: "Показать секрет",
  revealNoteOnce: "Открывайте его, только когда будете готовы скопировать или сохранить.",
  revealNote: "Открытие расходует один просмотр.",
  revealWhy: "Ничего не открывается, пока вы не нажмёте кнопку, поэтому предпросмотр ссылок и почтовые сканеры не могут израсходовать секрет.",

  partsTitle: "Соберите части ссылки",
  partsYouOpened: (i, n, k) => `Вы открыли часть ${i} из ${n}. Чтобы открыть секрет, нужно собрать ${ruParts(k)}.`,
  partsPasteLabel: "Другие части ссылки",
  partsPasteHint: "Вставьте ссылки на другие полученные части, по одной в строке.",
  partsHave: "Ваши части",
  partChip: (i) => `Часть ${i}`,
  partsMissing: (m) =>
    plural("ru", m, {
      one: "Нужна ещё {n} часть.",
      few: "Нужны ещё {n} части.",
      many: "Нужно ещё {n} частей.",
      other: "Нужно ещё {n} части.",
    }),
  partsReady: "У вас достаточно частей, чтобы открыть секрет.",
  partLine: (line, reason) => `Строка ${line}: ${reason}`,
  partNotALink: "это не ссылка Wisp.",
  partOtherSecret: "эта часть относится к другому секрету.",
  partOtherSplit: "эта часть из другого разделения ссылки.",
  partDuplicate: (i) => `часть ${i} уже добавлена.`,
  partDamaged: "ссылка повреждена или обрезана.",
  partWholeKey: "это полная ссылка: она сама открывает секрет.",

  passTitle: "Секрет защищён кодовой фразой",
  passIntro: "Отправитель должен был сообщить её вам отдельно, не в ссылке.",
  passLabel: "Кодовая фраза",
  passShow: "Показать",
  passHide: "Скрыть",
  passSubmit: "Разблокировать и показать",
  passChecking: "Проверяем кодовую фразу…",
  passWrong: "Кодовая фраза неверна. Просмотр не израсходован: попробуйте ещё раз.",
  passWrongCounted: (n) =>
    plural("ru", n, {
      one: "Неверная кодовая фраза. Осталась {n} попытка, после чего секрет будет уничтожен.",
      few: "Неверная кодовая фраза. Осталось {n} попытки, после чего секрет будет уничтожен.",
      many: "Неверная кодовая фраза. Осталось {n} попыток, после чего секрет будет уничтожен.",
      other: "Неверная кодовая фраза. Осталось {n} попытки, после чего секрет будет уничтожен.",
    }),
  passCounted: "Неверные кодовые фразы учитываются: после слишком многих попыток секрет будет уничтожен.",
  passWait: (s) =>
    plural("ru", s, {
      one: "Слишком много попыток. Подождите {n} секунду и попробуйте снова.",
      few: "Слишком много попыток. Подождите {n} секунды и попробуйте снова.",
      many: "Слишком много попыток. Подождите {n} секунд и попробуйте снова.",
      other: "Слишком много попыток. Подождите {n} секунды и попробуйте снова.",
    }),
  passEmpty: "Сначала введите кодовую фразу.",

  revealing: "Расшифровываем секрет…",
  progress: (done, total) => `${done} из ${total}`,

  textTitle: "Ваш секрет",
  textLabel: "Текст секрета",
  copy: "Копировать",
  copied: "Скопировано",
  copyFailed: "Не удалось скопировать: выделите текст и скопируйте его вручную.",
  lastViewText: "Скопируйте его сейчас: это был последний просмотр, больше он показан не будет.",
  lastViewFile: "Сохраните его сейчас: это был последний просмотр, больше он доступен не будет.",
  moreViews: (n) =>
    plural("ru", n, {
      one: "Его можно просмотреть ещё {n} раз.",
      few: "Его можно просмотреть ещё {n} раза.",
      many: "Его можно просмотреть ещё {n} раз.",
      other: "Его можно просмотреть ещё {n} раза.",
    }),
  viewsUntilExpiry: "Его можно просматривать, пока не истечёт срок.",
  burnButton: "Уничтожить сейчас",
  burnNote: "Уничтожение удаляет его с сервера, и никто больше не сможет его просмотреть.",
  burned: "Уничтожен: на сервере его больше нет.",

  fileTitle: "С вами поделились файлом",
  fileName: "Имя",
  fileSize: "Размер",
  fileType: "Тип",
  saveButton: "Сохранить файл",
  saveNote: "Файл расшифровывается в вашем браузере по мере загрузки.",
  saving: "Сохраняем…",
  saved: "Сохранено. Файл находится в папке загрузок.",

  unavailableTitle: "Этот секрет больше недоступен",
  unavailableText: "Его уже просмотрели, уничтожили или истёк его срок. Секреты удаляются навсегда, поэтому показать нечего.",
  unavailableHint: "Если он всё ещё нужен, попросите отправителя поделиться им снова.",

  destroyedTitle: "Секрет уничтожен",
  destroyedText: "Неверная кодовая фраза. Секрет уничтожен после слишком многих неверных попыток, открыть его больше нельзя.",

  errorTitle: "Что-то пошло не так",
  linkErrorTitle: "Эта ссылка не работает",
  damagedTitle: "Не удалось открыть секрет",
  reference: (id) => `Номер запроса: ${id}`,
  tryAgain: "Повторить",
  viewMayBeUsed: "Возможно, эта попытка израсходовала просмотр.",
  wrongProof: (n) =>
    n === null
      ? "Сервер отклонил ключ."
      : plural("ru", n, {
          one: "Сервер отклонил ключ. Осталась {n} попытка, после чего секрет будет уничтожен.",
          few: "Сервер отклонил ключ. Осталось {n} попытки, после чего секрет будет уничтожен.",
          many: "Сервер отклонил ключ. Осталось {n} попыток, после чего секрет будет уничтожен.",
          other: "Сервер отклонил ключ. Осталось {n} попытки, после чего секрет будет уничтожен.",
        }),
  errors: {
    truncated: "Загрузка прервалась до конца, поэтому полученные данные отброшены. Проверьте соединение и попробуйте ещё раз.",
    io: "Соединение оборвалось во время загрузки, поэтому полученные данные отброшены. Проверьте соединение и попробуйте ещё раз.",
    trailing_data: "Секрет пришёл с лишними данными после конца и был отклонён ради вашей безопасности.",
    segment_out_of_order: "Части секрета пришли не по порядку, поэтому он был отклонён ради вашей безопасности.",
    segment_corrupted: "Секрет пришёл повреждённым и не прошёл проверку целостности, поэтому он был отклонён ради вашей безопасности.",
    header_mismatch: "Секрет на сервере не соответствует этой ссылке и был отклонён ради вашей безопасности.",
    wrong_key: "Ключ из этой ссылки не открывает секрет. Убедитесь, что вы открыли ссылку целиком, в точности как получили.",
    wrong_passphrase: "Кодовая фраза неверна.",
    passphrase_required: "Для этого секрета нужна кодовая фраза.",
    absurd_parameters: "Секрет требует неразумных параметров расшифровки, поэтому он не был открыт.",
    not_a_payload: "На сервере хранится не секрет Wisp.",
    unsupported_version: "Секрет создан более новой версией Wisp, которую эта страница пока не умеет читать.",
    invalid_metadata: "Секрет расшифрован, но имеет неверный формат: возможно, приложение отправителя работает с ошибками.",
    invalid_padding: "Секрет расшифрован, но имеет неверный формат: возможно, приложение отправителя работает с ошибками.",
    content_length: "Секрет расшифрован, но имеет неверный формат: возможно, приложение отправителя работает с ошибками.",
    invalid_link: "Ссылка неполная или повреждена. Откройте в точности ту ссылку, которую получили, включая всё после знака #.",
    no_fragment: "Не хватает конца ссылки (после знака #), а в нём находится ключ. Откройте в точности ту ссылку, которую получили. Если вы перезагрузили страницу, снова откройте ссылку оттуда, где её получили.",
    invalid_part: "Эта часть ссылки повреждена.",
    invalid_split: "Эта часть ссылки повреждена.",
    not_enough_parts: "Нужно больше частей ссылки.",
    duplicate_part: "Одна и та же часть указана дважды.",
    parts_mismatch: "Эти части не относятся к одной ссылке.",
    too_large: "Секрет слишком велик, чтобы эта страница могла его открыть.",
    kdf: "Не удалось обработать кодовую фразу.",
    network: "Не удаётся связаться с сервером. Проверьте соединение и попробуйте ещё раз.",
    server: "На сервере произошла ошибка. Попробуйте ещё раз чуть позже.",
    request_timeout: "Соединение было слишком медленным, и сервер перестал ждать. Проверьте соединение и попробуйте ещё раз.",
    rate_limited: "Слишком много попыток из вашей сети. Подождите немного и попробуйте снова.",
    too_many_attempts: "Слишком много попыток. Подождите немного и попробуйте снова.",
    invalid_proof: "Сервер отклонил запрос.",
    save_failed: "Не удалось сохранить файл.",
  },
};

export const MESSAGES: Record<Lang, Messages> = { en, fr, es, ru };

/** Picks the first supported language from the browser's preference list (`navigator.languages`). */
export function chooseLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    const found = LANGS.find((l) => l === base);
    if (found) return found;
  }
  return "en";
}
