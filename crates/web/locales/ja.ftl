site-name = つなぐ
site-tagline = 障害のある方の就労と定着を、みんなでつなぐ
skip-link = 本文へ移動
nav-label = メインメニュー
nav-home = ホーム
nav-login = ログイン
nav-register = 新規登録
nav-dashboard = マイページ
nav-invitations = 招待
nav-logout = ログアウト
nav-privacy = 個人情報の取扱い
lang-switch-label = 表示言語
lang-switch-button = English
footer-help = お困りのときは、画面の内容とあわせて運営窓口までお問い合わせください。
status-label = お知らせ

session-warning-title = まもなく自動的にログアウトします
session-warning-text = 操作がないため、あと約{ $minutes }分でログアウトします。続ける場合は「延長する」を押してください。
session-extend = 延長する
session-extended = ログイン状態を延長しました。
session-expired = 一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。

home-title = つなぐへようこそ
home-lead = 障害のある方、企業、就労支援事業所、ご家族が、一つの場所で就職と職場定着に取り組むためのサービスです。
home-who = ご利用になる方
home-seeker = 仕事を探している方(求職者)
home-seeker-text = プロフィールを作り、求人を探し、応募できます。障害や配慮についての情報は、あなたが同意した範囲でのみ扱います。
home-employer = 企業の採用担当の方
home-employer-text = 会社として登録し、採用担当者や定着フォローの担当者を招待できます。
home-supporter = 就労支援事業所の方
home-supporter-text = 事業所として登録し、職員を招待して、利用者の方の就職と定着を支援できます。
home-family = ご家族の方
home-family-text = ご本人からの招待メールでご登録いただけます。
home-register = 新規登録
home-login = ログイン

register-title = 新規登録
register-lead = どの立場で登録するかを選んでください。ご家族の方は、ご本人からの招待メールから登録してください。
register-as-seeker = 仕事を探している方として登録
register-as-employer = 企業として登録
register-as-supporter = 就労支援事業所として登録
register-title-seeker = 求職者の登録
register-title-employer = 企業の登録
register-title-supporter = 就労支援事業所の登録
register-submit = 登録する
register-done = 登録を受け付けました。メールアドレスとパスワードでログインしてください。

field-name = お名前
field-name-hint = 例:山田 太郎
field-email = メールアドレス
field-password = パスワード
field-password-hint = 10文字以上で入力してください。貼り付けやパスワード管理ツールも使えます。
field-new-password = 新しいパスワード
field-org-name-company = 会社名
field-org-name-facility = 事業所名
field-role = 役割
field-relation = ご本人との関係
field-required = 必須

consent-legend = 同意事項
consent-privacy-label = 個人情報の取扱いに同意します(必須)
consent-privacy-hint = 内容は「個人情報の取扱い」のページでご確認いただけます(版:{ $version })。
consent-sensitive-label = 障害や健康に関する情報(要配慮個人情報)の取得と利用に同意します(任意)
consent-sensitive-hint = 同意しない場合も登録できますが、障害・配慮・体調に関する情報は保存できません。あとからマイページで同意や撤回ができます。

login-title = ログイン
login-submit = ログインする
login-forgot = パスワードを忘れた方
login-no-account = はじめての方は新規登録へ

reset-title = パスワードの再設定
reset-lead = 登録したメールアドレスを入力してください。再設定用のリンクをお送りします。
reset-submit = 再設定のメールを送る
reset-sent = 入力されたメールアドレスが登録されている場合、再設定用のメールを送りました。メールのリンクは1時間有効です。
reset-new-title = 新しいパスワードの設定
reset-new-submit = パスワードを変更する
reset-done = パスワードを変更しました。新しいパスワードでログインしてください。ほかの端末のログインはすべて終了しました。
reset-invalid = このリンクは使えません。有効期限が切れたか、すでに使われています。もう一度、再設定のメールを送ってください。

dashboard-title = マイページ
account-heading = アカウント
account-kind = 利用者の種類
kind-seeker = 求職者
kind-employer = 企業
kind-supporter = 就労支援事業所
kind-family = 家族
kind-operator = 運営
org-heading = 所属
org-name = 名称
org-verified = 運営による確認済み
org-unverified = 運営による確認待ち
members-heading = メンバー
role-company_admin = 管理者
role-recruiter = 採用担当
role-follow_up = 定着フォロー担当
role-facility_admin = 事業所管理者
role-facility_staff = 職員
consents-heading = 同意の記録
consent-kind-privacy_policy = 個人情報の取扱い
consent-kind-sensitive_data = 要配慮個人情報(障害・健康)の取得と利用
consent-version = 版
consent-given = 同意した日時
consent-withdrawn = 撤回した日時
consent-method = 方法
consent-state = 状態
consent-active = 同意中
consent-inactive = 撤回済み
consent-withdraw = 同意を撤回する
consent-give-sensitive = 要配慮個人情報の取得に同意する
consent-withdrawn-done = 同意を撤回しました。この時点から、その情報は利用されません。
consent-given-done = 同意を記録しました。
consent-none-sensitive = 要配慮個人情報(障害・健康)の取得には同意していません。そのため、障害・配慮・体調に関する情報は保存されません。
sessions-heading = ログイン中の端末
session-started = 開始
session-last-seen = 最終操作
session-device = 端末
session-this = この端末
session-revoke = ログアウトさせる
session-revoked = 選んだ端末をログアウトさせました。
family-heading = 家族
family-none = 登録されている家族はいません。
family-end = つながりを解除する
family-ended = つながりを解除しました。
family-of-heading = つながっているご本人
relation-father = 父
relation-mother = 母
relation-sibling = 兄弟姉妹
relation-spouse = 配偶者
relation-child = 子
relation-grandparent = 祖父母
relation-other = その他

invitations-title = 招待
invite-member-heading = メンバーを招待する
invite-member-lead = 招待する方のメールアドレスと役割を入力してください。招待メールのリンクは7日間有効です。
invite-family-heading = 家族を招待する
invite-family-lead = ご家族のメールアドレスと関係を入力してください。ご家族が見られる範囲は、あとから決められます。
invite-submit = 招待メールを送る
invite-sent = 招待メールを送りました。
invite-list-heading = 送った招待
invite-none = まだ招待していません。
invite-to = 宛先
invite-kind = 内容
invite-status = 状態
invite-expires = 有効期限
invite-status-open = 未承諾
invite-status-accepted = 承諾済み
invite-status-revoked = 取り消し済み
invite-status-expired = 期限切れ
invite-revoke = 招待を取り消す
invite-revoked = 招待を取り消しました。
invite-family-kind = 家族({ $relation })
invite-cannot = 招待できるのは、組織の管理者と求職者の方だけです。
accept-title = 招待の承諾
accept-lead-member = { $org }から、{ $role }としての招待が届いています。お名前とパスワードを決めて登録してください。
accept-lead-family = ご家族({ $relation })としての招待が届いています。お名前とパスワードを決めて登録してください。
accept-submit = 登録して招待を承諾する
accept-done = 登録しました。ログインしてください。
accept-invalid = この招待は使えません。有効期限が切れたか、すでに使われたか、取り消されています。招待した方にご連絡ください。

privacy-title = 個人情報の取扱い
privacy-version = 版:{ $version }

error-summary-title = 入力内容を確認してください
error-page-title = エラー
err-email-required = メールアドレスを入力してください。
err-email-invalid = メールアドレスの形式が正しくありません。例:name@example.jp
err-password-required = パスワードを入力してください。
err-password-too-short = パスワードは10文字以上で入力してください。
err-password-too-long = パスワードは256文字以内で入力してください。
err-name-required = お名前を入力してください。
err-name-too-long = お名前は100文字以内で入力してください。
err-text-control-chars = 使えない文字が含まれています。
err-org-name-required = 名称を入力してください。
err-org-name-too-long = 名称は200文字以内で入力してください。
err-consent-required = 登録には、個人情報の取扱いへの同意が必要です。
err-consent-unknown = 同意の種類が正しくありません。
err-role-invalid = 役割を選んでください。
err-relation-invalid = ご本人との関係を選んでください。
err-kind-invalid = 登録の種類を選んでください。
err-already-registered = このメールアドレスはすでに登録されています。
err-not-allowed = この操作を行う権限がありません。
err-login-failed = メールアドレスまたはパスワードが正しくありません。
err-rate-limited = 短い時間に何度も試されたため、しばらく受け付けを止めています。少し待ってからもう一度お試しください。
err-csrf = 画面の有効期限が切れました。ページを読み込み直してから、もう一度お試しください。
err-not-found = お探しのページは見つかりませんでした。
err-unauthorized = この画面を見るにはログインが必要です。
err-forbidden = この画面を見る権限がありません。
err-internal = 申し訳ありません。処理中に問題が起きました。時間をおいてもう一度お試しください。
err-bad-request = 送られた内容を読み取れませんでした。
err-not-withdrawable = この同意は撤回できません。利用をやめる場合は退会の手続きをしてください。
err-not-active = この同意は、現在有効ではありません。

mail-reset-subject = 【つなぐ】パスワード再設定のご案内
mail-reset-body = つなぐをご利用いただきありがとうございます。
    パスワードの再設定を受け付けました。次のリンクから、1時間以内に新しいパスワードを設定してください。

    { $link }

    お心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。
mail-taken-subject = 【つなぐ】ご登録についてのお知らせ
mail-taken-body = このメールアドレスで新規登録の操作がありましたが、すでにアカウントがあります。
    ご本人の操作で、パスワードがわからない場合は、次のページから再設定してください。

    { $link }

    お心当たりがない場合は、このメールを破棄してください。
mail-invite-subject = 【つなぐ】招待が届いています
mail-invite-member-body = { $org }から、つなぐへの招待が届いています。
    次のリンクから、7日以内にご登録ください。

    { $link }
mail-invite-family-body = ご家族から、つなぐへの招待が届いています。
    次のリンクから、7日以内にご登録ください。

    { $link }
err-reset-token-invalid = 再設定のリンクが無効です。有効期限が切れたか、すでに使われています。
err-invitation-invalid = この招待は使えません。有効期限が切れたか、すでに使われたか、取り消されています。
err-consents = 同意の指定が正しくありません。
table-suffix = (表)
