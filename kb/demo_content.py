"""Demo articles of the knowledge base: realistic answers a bakery-café franchisee looks for.

Bodies are small tuples turned into StreamField blocks by `kb.demo`:
("h", text) heading, ("h3", text) subheading, ("p", html) text, ("info"/"warn", text) callout,
("steps", [titles]) step-by-step, ("table", rows) table (first row is the header),
("img", key, caption) a generated picture, ("doc", key, link text) a generated PDF.
"""

# Categories: (slug, title, parent slug or None, intro, audience) — audience keys:
# "home_region" (the demo owner's region), "other_region", "owners".
CATEGORIES = [
    ("opening", "Открытие точки · Opening a unit", None, "От договора до первого гостя.", None),
    ("cash", "Касса · Cash register", None, "Смены, возвраты, инкассация, сбои.", None),
    ("food-safety", "Безопасность продуктов · Food safety", None, "Санитария и HACCP.", None),
    ("haccp", "ХАССП · HACCP", "food-safety", "Контрольные точки и журналы.", None),
    ("marketing", "Маркетинг · Marketing", None, "Бренд, акции, отзывы.", None),
    (
        "regional-promotions",
        "Региональные акции · Regional promotions",
        "marketing",
        "Акции, которые идут только в вашем регионе.",
        "home_region",
    ),
    ("reporting", "Отчётность · Reporting how-to", None, "Как сдавать отчёты в кабинете.", None),
    ("it", "IT и оборудование · IT and equipment", None, "Кабинет, касса, принтеры, сеть.", None),
    ("owners", "Для владельцев · For owners", None, "Договор, роялти, развитие.", "owners"),
]

# Articles: (category slug, slug, title, summary, tags, audience, reviewed months ago, body)
ARTICLES = [
    # Opening a unit ------------------------------------------------------------------------
    (
        "opening",
        "opening-checklist",
        "Чек-лист открытия новой точки",
        "Всё, что нужно сделать за 30 дней до открытия: помещение, оборудование, персонал, "
        "документы и маркетинг.",
        ["открытие", "чек-лист"],
        None,
        2,
        [
            (
                "p",
                "<p>Этот чек-лист ведёт вас от подписания договора до первого гостя. "
                "Отмечайте пункты вместе с вашим менеджером.</p>",
            ),
            ("h", "За 30 дней: помещение"),
            (
                "steps",
                [
                    "Согласуйте планировку с франчайзером",
                    "Закажите вывеску по брендбуку",
                    "Проверьте вентиляцию и электрику",
                    "Получите ключи и акт приёмки",
                ],
            ),
            ("h", "За 21 день: оборудование"),
            (
                "p",
                "<p>Печи, витрины и кассу ставит сертифицированный подрядчик. "
                "Сохраните акты монтажа — их попросят при проверке.</p>",
            ),
            ("img", "layout", "Типовая планировка зала на 40 м²"),
            ("h", "За 14 дней: персонал"),
            (
                "p",
                "<p>Наймите пекаря, двух кассиров-бариста и администратора. "
                "Назначьте всем курс «Стандарты сервиса» в разделе «Обучение».</p>",
            ),
            ("h", "За 7 дней: документы и запуск"),
            ("warn", "Без договора на вывоз отходов и дезинсекцию открываться нельзя."),
            ("doc", "opening-checklist", "Чек-лист открытия (PDF)"),
        ],
    ),
    (
        "opening",
        "premises-preparation",
        "Как подготовить помещение к запуску",
        "Требования к залу, производству и складу: отделка, свет, вода, вентиляция.",
        ["открытие", "помещение"],
        None,
        5,
        [
            (
                "p",
                "<p>Помещение должно соответствовать брендбуку и санитарным нормам. "
                "Зал — не меньше 25 м², производство отделено от зала.</p>",
            ),
            (
                "table",
                [
                    ["Зона", "Отделка", "Освещение"],
                    ["Зал", "Дерево, светлая штукатурка", "3000 K, 300 лк"],
                    ["Производство", "Плитка до потолка", "4000 K, 500 лк"],
                    ["Склад", "Моющаяся краска", "4000 K, 200 лк"],
                ],
            ),
            ("info", "Фото готового помещения загрузите в раздел «Документы» для согласования."),
        ],
    ),
    (
        "opening",
        "first-shift-hiring",
        "Найм и обучение первой смены",
        "Кого нанять до открытия, как провести стажировку и какие курсы назначить.",
        ["персонал", "обучение"],
        None,
        3,
        [
            (
                "p",
                "<p>Первую смену набирайте за две недели до открытия: нужно время на "
                "стажировку и пробные выпечки.</p>",
            ),
            (
                "steps",
                [
                    "Разместите вакансию по шаблону франчайзера",
                    "Проведите собеседования с тестовым заданием",
                    "Оформите сотрудников и медицинские книжки",
                    "Назначьте курсы в кабинете и проверьте прохождение",
                ],
            ),
        ],
    ),
    (
        "opening",
        "opening-documents",
        "Документы для открытия: что нужно собрать",
        "Список разрешений и договоров, без которых точка не может начать работу.",
        ["документы", "открытие"],
        None,
        14,
        [
            ("p", "<p>Соберите документы заранее и загрузите копии в кабинет.</p>"),
            (
                "table",
                [
                    ["Документ", "Кто выдаёт", "Срок"],
                    ["Уведомление о начале деятельности", "Роспотребнадзор", "до открытия"],
                    ["Договор на вывоз ТКО", "Региональный оператор", "до открытия"],
                    ["Договор дезинсекции", "Подрядчик", "до открытия"],
                    ["Регистрация ККТ", "ФНС", "за 5 дней"],
                ],
            ),
        ],
    ),
    (
        "opening",
        "grand-opening-day",
        "Grand opening day plan",
        "An hour-by-hour plan for the first day: staffing, tastings, photos and what to "
        "report to your account manager.",
        ["opening", "marketing"],
        None,
        1,
        [
            (
                "p",
                "<p>The first day sets the tone for the neighbourhood. Plan it hour by "
                "hour and rehearse the day before.</p>",
            ),
            ("h", "Morning"),
            (
                "steps",
                [
                    "Bake the full opening assortment by 7:30",
                    "Set up the tasting table at the entrance",
                    "Brief the team: greeting, loyalty card, upsell",
                ],
            ),
            ("h", "Midday"),
            (
                "p",
                "<p>Post photos to the brand's social channels using the opening "
                "template. Keep the queue moving: open the second till.</p>",
            ),
            ("h", "Evening"),
            (
                "p",
                "<p>Count the till, fill in the daily sales report and send your account "
                "manager three photos and the number of guests.</p>",
            ),
        ],
    ),
    (
        "opening",
        "pre-opening-inspection",
        "Pre-opening inspection checklist",
        "What the franchisor's inspector checks a week before you open.",
        ["opening", "inspection"],
        None,
        8,
        [
            (
                "p",
                "<p>The inspection takes about two hours. The inspector checks premises, "
                "equipment, documents and the team's training.</p>",
            ),
            (
                "steps",
                [
                    "Signage and shop window match the brand book",
                    "Equipment installed with signed certificates",
                    "Fridge temperature log started",
                    "All staff passed the Service Standards course",
                ],
            ),
            ("info", "If something fails, you get a task in the cabinet with a due date."),
        ],
    ),
    (
        "opening",
        "first-stock-order",
        "Ordering the first stock",
        "How much flour, fillings and packaging to order for the first two weeks.",
        ["opening", "supply"],
        None,
        6,
        [
            (
                "p",
                "<p>Order the starter kit through the supplier portal. The quantities "
                "below assume 250 guests a day.</p>",
            ),
            (
                "table",
                [
                    ["Item", "Quantity", "Lead time"],
                    ["Flour T550", "400 kg", "3 days"],
                    ["Frozen fillings", "60 kg", "5 days"],
                    ["Packaging set", "2,000", "7 days"],
                ],
            ),
        ],
    ),
    # Cash register -------------------------------------------------------------------------
    (
        "cash",
        "shift-open-close",
        "Как открыть и закрыть смену на кассе",
        "Порядок открытия и закрытия кассовой смены, Z-отчёт и сверка наличных.",
        ["касса", "смена"],
        None,
        1,
        [
            ("h", "Открытие смены"),
            (
                "steps",
                [
                    "Включите кассу и дождитесь связи с ОФД",
                    "Откройте смену под своим логином",
                    "Пересчитайте размен и внесите сумму в кассу",
                ],
            ),
            ("h", "Закрытие смены"),
            (
                "steps",
                [
                    "Пересчитайте наличные в денежном ящике",
                    "Сверьте сумму с X-отчётом",
                    "Снимите Z-отчёт и закройте смену",
                    "Уберите выручку в сейф",
                ],
            ),
            ("img", "till", "Денежный ящик: где лежат купюры и монеты"),
            ("h", "Если не сходится"),
            (
                "warn",
                "Не исправляйте расхождение из своих денег. Составьте акт и сообщите "
                "администратору.",
            ),
        ],
    ),
    (
        "cash",
        "refund-procedure",
        "Возврат покупки: порядок действий",
        "Как оформить возврат по чеку при оплате наличными и картой.",
        ["касса", "возврат"],
        None,
        4,
        [
            (
                "p",
                "<p>Возврат оформляется только по чеку или выписке из банка. "
                "Возврат по карте — на ту же карту.</p>",
            ),
            (
                "steps",
                [
                    "Найдите чек продажи в кассе",
                    "Выберите «Возврат прихода»",
                    "Отметьте возвращаемые позиции",
                    "Выдайте деньги и чек возврата",
                ],
            ),
        ],
    ),
    (
        "cash",
        "cash-collection",
        "Инкассация и сдача выручки",
        "Как готовить выручку к инкассации и вести журнал.",
        ["касса", "инкассация"],
        None,
        16,
        [
            (
                "p",
                "<p>Инкассация — по графику банка, обычно дважды в неделю. "
                "Выручку упаковывайте в сумку с пломбой.</p>",
            ),
            ("info", "Номер пломбы запишите в журнал и в отчёт о выручке."),
        ],
    ),
    (
        "cash",
        "receipt-printer-fails",
        "Что делать, если касса не печатает чек",
        "Быстрая диагностика: бумага, крышка, связь с ОФД, перезагрузка.",
        ["касса", "неисправность"],
        None,
        2,
        [
            (
                "steps",
                [
                    "Проверьте, есть ли бумага и правильно ли она заправлена",
                    "Закройте крышку принтера до щелчка",
                    "Посмотрите статус связи с ОФД",
                    "Перезагрузите кассу",
                ],
            ),
            (
                "warn",
                "Если касса не работает больше 15 минут, позвоните в поддержку: "
                "продавать без чека нельзя.",
            ),
        ],
    ),
    (
        "cash",
        "closing-the-till",
        "Closing the till at the end of the shift",
        "Count the drawer, print the Z report and lock the takings in the safe.",
        ["till", "shift"],
        None,
        3,
        [
            (
                "steps",
                [
                    "Count notes and coins in the cash drawer",
                    "Compare with the X report",
                    "Print the Z report and close the shift",
                    "Lock the takings in the safe",
                ],
            ),
            ("info", "Leave the float of 3,000 ₽ in small notes for the morning shift."),
        ],
    ),
    (
        "cash",
        "card-payment-failures",
        "Handling card payment failures",
        "What to tell the guest and what to check when the card terminal declines.",
        ["till", "payments"],
        None,
        7,
        [
            (
                "p",
                "<p>Most declines are the bank's, not yours. Ask the guest to try again or "
                "pay another way; never key a card number by hand.</p>",
            ),
            (
                "steps",
                [
                    "Check the terminal's network light",
                    "Run a test transaction",
                    "Restart the terminal",
                    "Call the acquiring bank's hotline",
                ],
            ),
        ],
    ),
    (
        "cash",
        "cash-shortage",
        "Cash shortage and overage: what to do",
        "When the count does not match: recount, write it down, report it.",
        ["till", "discrepancy"],
        None,
        20,
        [
            (
                "p",
                "<p>A difference of up to 50 ₽ is recorded in the shift log. Anything "
                "larger needs a signed statement and a note to the manager.</p>",
            ),
        ],
    ),
    # Food safety ---------------------------------------------------------------------------
    (
        "food-safety",
        "fridge-temperature-log",
        "Журнал температуры холодильников",
        "Как и когда записывать температуру холодильного оборудования.",
        ["санитария", "журнал"],
        None,
        1,
        [
            ("p", "<p>Температуру записывают дважды в смену: в начале и в конце.</p>"),
            (
                "table",
                [
                    ["Оборудование", "Норма", "Действие при отклонении"],
                    ["Холодильник", "+2…+6 °C", "Перенести продукты, вызвать мастера"],
                    ["Морозильник", "−18 °C и ниже", "Проверить дверь, вызвать мастера"],
                ],
            ),
            ("doc", "temperature-log", "Бланк журнала температуры (PDF)"),
        ],
    ),
    (
        "food-safety",
        "labels-shelf-life",
        "Маркировка и сроки годности",
        "Как маркировать заготовки и что делать с просроченными продуктами.",
        ["санитария", "маркировка"],
        None,
        9,
        [
            (
                "p",
                "<p>Каждая заготовка получает этикетку: название, дата и время "
                "изготовления, срок годности, кто приготовил.</p>",
            ),
            ("warn", "Продукты без этикетки списываются."),
        ],
    ),
    (
        "food-safety",
        "hand-washing",
        "Мытьё рук: стандарт бренда",
        "Когда и как мыть руки на производстве и за стойкой.",
        ["санитария", "персонал"],
        None,
        30,
        [
            (
                "steps",
                [
                    "Смочите руки тёплой водой",
                    "Намыльте не менее 20 секунд",
                    "Ополосните и вытрите одноразовым полотенцем",
                    "Обработайте антисептиком",
                ],
            ),
        ],
    ),
    (
        "haccp",
        "haccp-control-points",
        "План ХАССП: контрольные точки",
        "Критические контрольные точки пекарни-кафе и кто за них отвечает.",
        ["хассп", "санитария"],
        None,
        12,
        [
            (
                "p",
                "<p>План ХАССП обязателен для каждой точки. Ниже — критические точки "
                "типового производства.</p>",
            ),
            (
                "table",
                [
                    ["Точка", "Критерий", "Кто контролирует"],
                    ["Приёмка", "Температура охлаждённого ≤ +6 °C", "Администратор"],
                    ["Выпечка", "Внутри изделия ≥ +90 °C", "Пекарь"],
                    ["Хранение", "Холодильник +2…+6 °C", "Пекарь"],
                ],
            ),
        ],
    ),
    (
        "food-safety",
        "allergen-information",
        "Allergen information for customers",
        "Where to find allergen data for every product and how to answer guests.",
        ["food safety", "allergens"],
        None,
        5,
        [
            (
                "p",
                "<p>Every product card lists the 14 major allergens. Never guess: show the "
                "guest the card or the allergen binder at the till.</p>",
            ),
            ("warn", "If a guest reports an allergic reaction, call 112 first, then your manager."),
        ],
    ),
    (
        "food-safety",
        "pest-control",
        "Pest control visits",
        "How often the contractor comes and what you sign.",
        ["food safety", "contractors"],
        None,
        18,
        [
            (
                "p",
                "<p>The contractor visits monthly. Keep the visit reports in the "
                "food-safety folder for three years.</p>",
            )
        ],
    ),
    (
        "haccp",
        "receiving-deliveries",
        "Receiving deliveries safely",
        "Check temperature, packaging and dates before you sign the delivery note.",
        ["food safety", "haccp", "supply"],
        None,
        4,
        [
            (
                "steps",
                [
                    "Measure chilled goods: at most +6 °C",
                    "Reject torn or wet packaging",
                    "Check best-before dates",
                    "Sign and file the delivery note",
                ],
            ),
        ],
    ),
    # Marketing -----------------------------------------------------------------------------
    (
        "marketing",
        "brand-book-signage",
        "Брендбук: вывеска и витрина",
        "Цвета, шрифты и оформление витрины по стандарту сети.",
        ["бренд", "вывеска"],
        None,
        6,
        [
            (
                "p",
                "<p>Вывеска — только по макету франчайзера. Витрину меняйте к каждой "
                "сезонной акции.</p>",
            ),
            ("img", "storefront", "Витрина по стандарту бренда"),
        ],
    ),
    (
        "marketing",
        "tasting-event",
        "Как провести дегустацию",
        "Дегустация у входа: что подготовить, сколько продукции, как считать результат.",
        ["маркетинг", "акции"],
        None,
        2,
        [
            (
                "steps",
                [
                    "Выберите два новых изделия",
                    "Нарежьте порции по 20 г",
                    "Поставьте стол у входа с 12:00 до 14:00",
                    "Считайте чеки с новинками в отчёте",
                ],
            ),
        ],
    ),
    (
        "marketing",
        "online-reviews",
        "Работа с отзывами на картах",
        "Как отвечать на отзывы гостей в Яндекс Картах и 2ГИС.",
        ["маркетинг", "отзывы"],
        None,
        8,
        [
            (
                "p",
                "<p>Отвечайте на каждый отзыв в течение суток. На негативный — с "
                "извинением и предложением связаться.</p>",
            )
        ],
    ),
    (
        "marketing",
        "loyalty-programme",
        "Using the loyalty programme",
        "Points, levels and how to register a guest's card at the till.",
        ["marketing", "loyalty"],
        None,
        3,
        [
            (
                "p",
                "<p>Guests earn 5 % back in points. Register a card by scanning it and "
                "entering the guest's phone number.</p>",
            )
        ],
    ),
    (
        "marketing",
        "social-media-guidelines",
        "Social media posting guidelines",
        "What you may post for your unit and what stays with the brand team.",
        ["marketing", "social media"],
        None,
        11,
        [
            (
                "p",
                "<p>Post your unit's news, new products and team photos. Prices and "
                "network-wide promotions come from the brand team only.</p>",
            ),
        ],
    ),
    (
        "regional-promotions",
        "pie-of-the-day",
        "Осенняя акция «Пирог дня» в вашем регионе",
        "Каждый день один пирог со скидкой 30 %: график, ценники, отчёт по акции.",
        ["акции", "регион"],
        "home_region",
        1,
        [
            ("p", "<p>Акция идёт с 1 октября по 30 ноября только в точках вашего региона.</p>"),
            (
                "table",
                [
                    ["День", "Пирог"],
                    ["Пн", "С капустой"],
                    ["Вт", "С яблоком"],
                    ["Ср", "С картофелем"],
                    ["Чт", "С вишней"],
                    ["Пт", "С мясом"],
                ],
            ),
        ],
    ),
    (
        "regional-promotions",
        "school-partnership",
        "Local school partnership programme",
        "Breakfast boxes for nearby schools: pricing and how to sign up.",
        ["marketing", "regional"],
        None,
        2,
        [
            (
                "p",
                "<p>Offer breakfast boxes to schools within 1 km. The regional office "
                "prepares the contract.</p>",
            )
        ],
    ),
    # Reporting -----------------------------------------------------------------------------
    (
        "reporting",
        "monthly-revenue-report",
        "Как сдать ежемесячный отчёт о выручке",
        "Пошагово: где найти форму, как заполнить поля и отправить отчёт менеджеру.",
        ["отчёты", "выручка"],
        None,
        1,
        [
            ("p", "<p>Отчёт о выручке за месяц сдаётся до 5-го числа следующего месяца.</p>"),
            ("h", "Где найти форму"),
            ("p", "<p>Откройте «Отчёты» в меню кабинета и выберите период.</p>"),
            ("h", "Как заполнить"),
            (
                "steps",
                [
                    "Внесите выручку по данным Z-отчётов",
                    "Укажите число чеков",
                    "Заполните себестоимость и списания",
                    "Проверьте итоги и нажмите «Отправить»",
                ],
            ),
            ("h", "После отправки"),
            (
                "info",
                "Менеджер проверит отчёт за 3 рабочих дня. Если его вернут, вы получите "
                "уведомление с комментарием.",
            ),
            ("doc", "report-guide", "Памятка по заполнению отчёта (PDF)"),
        ],
    ),
    (
        "reporting",
        "report-returned",
        "Отчёт вернули на доработку: что делать",
        "Как прочитать комментарий менеджера, исправить отчёт и отправить его снова.",
        ["отчёты"],
        None,
        3,
        [
            (
                "steps",
                [
                    "Откройте уведомление и прочитайте комментарий",
                    "Исправьте отмеченные поля",
                    "Отправьте отчёт повторно",
                ],
            )
        ],
    ),
    (
        "reporting",
        "report-deadlines",
        "Сроки сдачи отчётов",
        "Когда сдавать недельные, месячные и квартальные отчёты.",
        ["отчёты", "сроки"],
        None,
        13,
        [
            (
                "table",
                [
                    ["Отчёт", "Срок"],
                    ["Недельный", "понедельник"],
                    ["Месячный", "до 5-го числа"],
                    ["Квартальный", "до 15-го числа"],
                ],
            )
        ],
    ),
    (
        "reporting",
        "report-fields",
        "Показатели в отчёте: что означает каждое поле",
        "Выручка, средний чек, себестоимость, списания — определения и примеры.",
        ["отчёты", "показатели"],
        None,
        6,
        [
            (
                "p",
                "<p><b>Средний чек</b> — выручка, делённая на число чеков. "
                "<b>Списания</b> — стоимость продукции, выброшенной за период.</p>",
            )
        ],
    ),
    (
        "reporting",
        "weekly-sales-report",
        "Submitting the weekly sales report",
        "A two-minute report every Monday: revenue, receipts and waste for the past week.",
        ["reports", "sales"],
        None,
        2,
        [
            (
                "steps",
                [
                    "Open Reports in the cabinet menu",
                    "Pick last week",
                    "Enter revenue, receipts and waste",
                    "Press Submit",
                ],
            )
        ],
    ),
    (
        "reporting",
        "unit-dashboard",
        "Reading your unit dashboard",
        "What the traffic lights, trends and rankings on your dashboard mean.",
        ["reports", "dashboard"],
        None,
        4,
        [
            (
                "p",
                "<p>Green means on track, amber needs attention, red is overdue. Your rank "
                "compares you with units of similar size in the network.</p>",
            )
        ],
    ),
    (
        "reporting",
        "export-reports-excel",
        "Exporting your reports to Excel",
        "Download your submitted reports as XLSX or CSV for your accountant.",
        ["reports", "excel"],
        None,
        15,
        [
            (
                "p",
                "<p>On the report list, choose a period and press Export. The file includes "
                "every field of the selected reports.</p>",
            )
        ],
    ),
    # IT ------------------------------------------------------------------------------------
    (
        "it",
        "reset-password",
        "Как сбросить пароль в кабинете",
        "Если забыли пароль: восстановление по e-mail за минуту.",
        ["кабинет", "пароль"],
        None,
        1,
        [
            (
                "steps",
                [
                    "На странице входа нажмите «Забыли пароль?»",
                    "Введите e-mail",
                    "Откройте письмо и задайте новый пароль",
                ],
            )
        ],
    ),
    (
        "it",
        "till-internet",
        "Подключение кассы к интернету",
        "Как подключить кассу по кабелю или Wi-Fi и проверить связь с ОФД.",
        ["касса", "интернет"],
        None,
        10,
        [
            ("p", "<p>Касса должна быть подключена к отдельной сети, не гостевой.</p>"),
            ("img", "network", "Схема сети точки: касса, терминал, гостевой Wi-Fi"),
        ],
    ),
    (
        "it",
        "label-printer",
        "Настройка принтера этикеток",
        "Подключение, калибровка и печать этикеток для маркировки.",
        ["оборудование", "маркировка"],
        None,
        7,
        [
            (
                "steps",
                [
                    "Подключите принтер по USB",
                    "Установите драйвер с сайта производителя",
                    "Откалибруйте ленту",
                    "Напечатайте пробную этикетку",
                ],
            )
        ],
    ),
    (
        "it",
        "guest-wifi",
        "Wi-Fi для гостей",
        "Как настроить гостевую сеть и где взять пароль.",
        ["интернет", "гости"],
        None,
        25,
        [("p", "<p>Гостевая сеть отделена от кассовой. Пароль меняется раз в месяц.</p>")],
    ),
    (
        "it",
        "back-office-computer",
        "Setting up the back-office computer",
        "Accounts, updates and antivirus for the office PC.",
        ["it", "security"],
        None,
        9,
        [
            (
                "steps",
                [
                    "Create a separate account for each person",
                    "Turn on automatic updates",
                    "Install the antivirus from the franchisor's list",
                ],
            )
        ],
    ),
    (
        "it",
        "add-staff-to-cabinet",
        "Adding staff to the cabinet",
        "Invite your team so everyone gets courses and can see the knowledge base.",
        ["cabinet", "staff"],
        None,
        2,
        [
            (
                "p",
                "<p>Owners invite staff from the unit page: enter the e-mail, choose the "
                "role, press Invite. The invitation link is valid for three days.</p>",
            )
        ],
    ),
    (
        "it",
        "ural-warehouse-schedule",
        "Ural warehouse delivery windows",
        "Delivery windows of the regional warehouse; only for units of that region.",
        ["supply", "regional"],
        "other_region",
        2,
        [("table", [["Day", "Window"], ["Monday", "6:00–8:00"], ["Thursday", "6:00–8:00"]])],
    ),
    # For owners ----------------------------------------------------------------------------
    (
        "owners",
        "royalty-calculation",
        "Роялти и маркетинговый сбор: как считаются",
        "Формула, сроки оплаты и где посмотреть начисления.",
        ["договор", "роялти"],
        None,
        2,
        [
            (
                "p",
                "<p>Роялти — 5 % от выручки без НДС, маркетинговый сбор — 2 %. "
                "Счёт выставляется до 10-го числа.</p>",
            )
        ],
    ),
    (
        "owners",
        "contract-renewal",
        "Продление договора франшизы",
        "Когда и как подать заявку на продление договора.",
        ["договор"],
        None,
        24,
        [("p", "<p>Заявку подают за 6 месяцев до окончания договора через менеджера.</p>")],
    ),
    (
        "owners",
        "area-supervisor",
        "Hiring an area supervisor",
        "When a multi-unit owner needs a supervisor and what the role covers.",
        ["owners", "staff"],
        "owners",
        5,
        [
            (
                "p",
                "<p>From three units on, a supervisor visits each unit weekly and owns "
                "the checklists and reports.</p>",
            )
        ],
    ),
]

# Generated images: key -> (title, colour, lines of text drawn on it)
IMAGES = {
    "layout": ("Типовая планировка зала", (11, 110, 79), ["Зал 40 м²", "Витрина · Касса · Столы"]),
    "till": ("Денежный ящик", (242, 165, 65), ["Купюры: 5000 2000 1000 500 100", "Монеты"]),
    "storefront": ("Витрина по стандарту", (29, 36, 51), ["Сезонная витрина", "Осень"]),
    "network": ("Схема сети точки", (92, 102, 122), ["Касса ─ Роутер ─ Терминал", "Гости: Wi-Fi"]),
}

# Generated PDFs: key -> (title, heading, rows)
DOCUMENTS = {
    "opening-checklist": (
        "Чек-лист открытия точки",
        "Чек-лист открытия новой точки",
        [
            ["30 дней", "Планировка, вывеска, приёмка помещения"],
            ["21 день", "Монтаж оборудования, акты"],
            ["14 дней", "Найм и обучение персонала"],
            ["7 дней", "Договоры ТКО и дезинсекции, ККТ"],
        ],
    ),
    "temperature-log": (
        "Бланк журнала температуры",
        "Журнал температуры холодильного оборудования",
        [["Дата", "Время", "Холодильник, °C", "Морозильник, °C", "Подпись"]]
        + [["", "", "", "", ""] for _ in range(12)],
    ),
    "report-guide": (
        "Памятка по отчёту о выручке",
        "Как заполнить ежемесячный отчёт о выручке",
        [
            ["Выручка", "Сумма Z-отчётов за месяц"],
            ["Число чеков", "Из Z-отчётов"],
            ["Себестоимость", "По накладным поставщика"],
            ["Списания", "По актам списания"],
        ],
    ),
}
