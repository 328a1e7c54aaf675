"""Demo deposits: real Kazakhstan deposits with figures from cited public sources.

The figures are illustrative: taken from the public sources listed with each deposit,
not verified by the state geological survey.

Where a source gives a figure without a reserve/resource category, the category shown is a
placeholder and the estimate's ``note`` says so. Where a source gives only a place description,
the coordinates are approximate and the deposit's ``history`` says so.
"""

from demo.deposit_translations import translated

DEPOSITS: list[dict] = [
    # ------------------------------------------------------------------ tungsten
    {
        "slug": "verkhnee-kairakty",
        "name_en": "Verkhnee Kairakty (Upper Kairakty)",
        "name_ru": "Верхнее Кайракты",
        "name_kk": "Жоғарғы Қайрақты",
        "region": "karaganda",
        "district": "Shet District",
        "latitude": 48.684,
        "longitude": 73.259,
        "deposit_type": "stockwork",
        "stage": "evaluated",
        "commodities": ["W", "Mo", "Bi"],
        "summary_en": (
            "One of the largest undeveloped tungsten deposits in the world, held by Tau-Ken Samruk's "
            "subsidiary Severniy Katpar LLP. In November 2025 Tau-Ken Samruk and the US investor Cove "
            "Capital agreed a joint venture (Cove 70%) to develop it together with Severny Katpar."
        ),
        "summary_ru": (
            "Одно из крупнейших неосвоенных месторождений вольфрама в мире; недропользователь — ТОО "
            "«Северный Катпар» (группа «Тау-Кен Самрук»). В ноябре 2025 года «Тау-Кен Самрук» и "
            "американская Cove Capital договорились о совместном освоении (доля Cove — 70%)."
        ),
        "summary_kk": (
            "Әлемдегі ең ірі игерілмеген вольфрам кен орындарының бірі; жер қойнауын пайдаланушы — "
            "«Солтүстік Қатпар» ЖШС («Тау-Кен Самұрық» тобы). 2025 жылғы қарашада «Тау-Кен Самұрық» пен "
            "американдық Cove Capital бірлескен кәсіпорын құру туралы келісті (Cove үлесі — 70%)."
        ),
        "geology": (
            "The deposit lies in the Uspenskaya tectonic zone, where Late Palaeozoic granites intrude "
            "folded Silurian shales and sandstones. Mineralisation forms two cone-shaped stockworks "
            "of scheelite-pyrite-quartz veinlets, mostly at depths of 750-800 m and locally traced to "
            "1,200 m. Scheelite dominates over wolframite (about 5-7:1); molybdenite, native bismuth "
            "and silver occur as by-products. Only ore above about 0.1% WO3 is amenable to "
            "conventional processing, so Tau-Ken Samruk is testing heap leaching of low-grade ore."
        ),
        "history": (
            "Discovered in 1945 and explored in Soviet times; work on a mine stopped with the "
            "collapse of the USSR (an unfinished open pit, settlement and a rail embankment towards "
            "Severny Katpar remain). Tau-Ken Samruk obtained the exploration licence in 2016, signed "
            "a development agreement with Xiamen Tungsten in 2018 (not implemented) and in 2025 a "
            "joint venture with Cove Kaz Capital Group."
        ),
        "infrastructure": {
            "rail_km": 35,
            "road_km": 6,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "state_balance",
                "category": "C2",
                "commodity": "W",
                "tonnage_t": None,
                "grade": None,
                "grade_unit": "% WO3",
                "contained_t": 1_213_000,
                "cutoff": None,
                "effective_date": "2018-01-01",
                "competent_person": "Soviet-era state reserve estimate, as quoted by Tau-Ken Samruk",
                "note": (
                    "Historical (Soviet) figure quoted in 2018 as '1,213 thousand tons of tungsten' "
                    "(plus 343.5 kt Mo); the source does not say W or WO3, nor the category (C2 is a "
                    "placeholder). Not JORC/KAZRC compliant."
                ),
            },
        ],
        "sources": [
            {
                "title": "Exploration and production of tungsten and molybdenum ore at Upper Kairakty deposit in Karagandy region",
                "publisher": "Tau-Ken Samruk",
                "year": None,
                "url": "https://tks.kz/en/investmentprojects/exploration-and-production-of-tungsten-and-molibdenum-ore-at-upper-kairakty-deposit-in-karagandy-region/",
            },
            {
                "title": "Historical data on the reserves of the Northern Katpar field have been confirmed",
                "publisher": "Tau-Ken Samruk",
                "year": 2018,
                "url": "http://tks.kz/en/historical-data-on-the-reserves-of-the-northern-katpar-field-have-been-confirmed/",
            },
            {
                "title": "Scientific research activities (heap leaching of Verkhneye Kairaktinskoye ores)",
                "publisher": "Tau-Ken Samruk",
                "year": None,
                "url": "https://tks.kz/en/scientific-research-activities",
            },
            {
                "title": "Cove Capital LLC and Kazakhstan's National Mining Company announce joint venture to develop largest known undeveloped global tungsten resource",
                "publisher": "Business Wire (via aijourn.com)",
                "year": 2025,
                "url": "https://aijourn.com/u-s-based-cove-capital-llc-and-kazakhstans-national-mining-company-announce-joint-venture-to-develop-largest-known-undeveloped-global-tungsten-resource",
            },
        ],
    },
    {
        "slug": "severny-katpar",
        "name_en": "Severny Katpar (Northern Katpar)",
        "name_ru": "Северный Катпар",
        "name_kk": "Солтүстік Қатпар",
        "region": "karaganda",
        "district": "Shet District",
        "latitude": 48.85,
        "longitude": 73.1,
        "deposit_type": "skarn",
        "stage": "development",
        "commodities": ["W", "Mo", "Cu", "Bi", "Be"],
        "summary_en": (
            "A mid-sized tungsten-molybdenum-copper skarn deposit with a JORC resource of 71.4 Mt "
            "of ore containing about 142 kt WO3. The mining project presented in 2026 plans "
            "open-pit mining from 2030 at up to 3 Mt of ore per year, within the Tau-Ken "
            "Samruk / Cove Capital joint venture."
        ),
        "summary_ru": (
            "Среднее по масштабу вольфрам-молибден-медное скарновое месторождение; ресурсы по JORC — "
            "71,4 млн т руды, около 142 тыс. т WO3. Проект горных работ предусматривает добычу "
            "открытым способом с 2030 года, до 3 млн т руды в год (СП «Тау-Кен Самрук» и Cove Capital)."
        ),
        "summary_kk": (
            "Орташа көлемді вольфрам-молибден-мыс скарн кен орны; JORC бойынша ресурстар — 71,4 млн т "
            "кен, шамамен 142 мың т WO3. Тау-кен жұмыстарының жобасы 2030 жылдан бастап ашық тәсілмен "
            "жылына 3 млн т кенге дейін өндіруді көздейді («Тау-Кен Самұрық» пен Cove Capital БК)."
        ),
        "geology": (
            "The deposit sits on the slope of the Uspenskaya zone against a block of Upper Devonian - "
            "Lower Carboniferous limestones, marbled and skarnified above a dome of Late Permian "
            "Akmaya granite reached at 400-600 m depth. Skarn veins and veinlets form a steeply "
            "south-dipping stockwork-like body about 300 x 400 m, traced 500 m down dip and passing "
            "into lenses and sheets on the flanks. Scheelite is the tungsten mineral; molybdenum, "
            "copper, bismuth and beryllium are by-products."
        ),
        "history": (
            "Explored in Soviet times. Tau-Ken Samruk bought Severniy Katpar LLP and the deposit in "
            "2015; verification drilling in 2018 confirmed the historical ore boundaries. Public "
            "hearings on a concentrator were held in 2023 and on the mining project in February 2026. "
            "In 2025 Cove Kaz Capital agreed to take 70% of Severniy Katpar LLP. Map position is "
            "approximate (about 20-30 km from Verkhnee Kairakty; exact coordinates not found in the "
            "sources)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "jorc",
                "category": "inferred",
                "commodity": "W",
                "tonnage_t": 71_400_000,
                "grade": 0.2,
                "grade_unit": "% WO3",
                "contained_t": 142_000,
                "cutoff": None,
                "effective_date": "2018-01-01",
                "competent_person": "Not named in the source (Tau-Ken Samruk project page)",
                "note": (
                    "Indicated + Inferred combined (split not published; shown as inferred). Grade "
                    "approx., derived as 142 kt / 71.4 Mt. Also 80 kt Cu, 23.6 kt Mo, 13.7 kt Be. "
                    "Estimate date not stated; year approx."
                ),
            },
            {
                "code": "state_balance",
                "category": "C2",
                "commodity": "W",
                "tonnage_t": None,
                "grade": None,
                "grade_unit": "% WO3",
                "contained_t": 90_000,
                "cutoff": None,
                "effective_date": "2018-01-01",
                "competent_person": "Historical (Soviet) reserves, confirmed by Tau-Ken Samruk verification drilling",
                "note": (
                    "approx.; source says 'about 90 thousand tons of tungsten and 13 thousand tons of "
                    "molybdenum' without stating W or WO3 or the category (C2 is a placeholder)."
                ),
            },
        ],
        "sources": [
            {
                "title": "Солтүстік Қатпар кен орны вольфрам-молибден рудасын барлау және өндіру (investment project page)",
                "publisher": "Tau-Ken Samruk",
                "year": None,
                "url": "https://tks.kz/kk/investmentprojects/qaraghandy-oblysyndaghy-soltustik-qatpar-ken-orny-volfram-molibden-rudasyn-barlau-zhane-ondiru/",
            },
            {
                "title": "Historical data on the reserves of the Northern Katpar field have been confirmed",
                "publisher": "Tau-Ken Samruk",
                "year": 2018,
                "url": "http://tks.kz/en/historical-data-on-the-reserves-of-the-northern-katpar-field-have-been-confirmed/",
            },
            {
                "title": "США и Казахстан могут заработать миллиарды долларов на вольфрамовом месторождении",
                "publisher": "Kursiv",
                "year": 2026,
                "url": "https://kz.kursiv.media/?p=6836916",
            },
            {
                "title": "Tau-Ken Samruk and U.S. Cove Capital to jointly develop major tungsten deposits in Kazakhstan",
                "publisher": "MINEX Forum",
                "year": 2025,
                "url": "https://minexforum.com/2025/11/10/tau-ken-samruk-and-u-s-cove-capital-to-jointly-develop-major-tungsten-deposits-in-kazakhstan",
            },
        ],
    },
    {
        "slug": "boguty",
        "name_en": "Boguty",
        "name_ru": "Богуты",
        "name_kk": "Бұғыты",
        "region": "almaty",
        "district": "Yenbekshikazakh District",
        "latitude": 43.539,
        "longitude": 78.975,
        "deposit_type": "stockwork",
        "stage": "production",
        "commodities": ["W"],
        "summary_en": (
            "Kazakhstan's first new tungsten mine in decades: an open pit and concentrator designed "
            "for 3.3 Mt of ore a year, in commercial production since April 2025. Owner Jiaxin "
            "International Resources listed in Hong Kong and on the AIX in August 2025; its JORC "
            "resource is 107.5 Mt at 0.211% WO3."
        ),
        "summary_ru": (
            "Первый за десятилетия новый вольфрамовый рудник Казахстана: карьер и обогатительная "
            "фабрика на 3,3 млн т руды в год, коммерческая добыча с апреля 2025 года. Владелец — "
            "Jiaxin International Resources (листинг в Гонконге и на AIX в августе 2025 года)."
        ),
        "summary_kk": (
            "Қазақстандағы ондаған жылдардағы алғашқы жаңа вольфрам кеніші: жылына 3,3 млн т кенге "
            "арналған карьер мен байыту фабрикасы, 2025 жылғы сәуірден бастап коммерциялық өндіру. "
            "Иесі — Jiaxin International Resources (2025 жылғы тамызда Гонконг пен AIX биржаларына шықты)."
        ),
        "geology": (
            "A large, low-grade, near-surface tungsten deposit in the Ulken Boguty mountains east of "
            "Almaty, mined by open pit. Regional summaries class it with Kazakhstan's predominantly "
            "stockwork tungsten deposits. Detailed host-rock and mineralogical descriptions were not "
            "available in the sources consulted."
        ),
        "history": (
            "Zhetisu Tungsten LLP (Jiaxin International Resources Investment Ltd) acquired the project "
            "in 2015; construction by China Civil Engineering Construction Corporation ran from 2021 "
            "with a project cost of about US$260-270 million. Trial production began in November 2024 "
            "and Phase I commercial production in April 2025; Phase II (4.95 Mt/a) is planned for 2027."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "jorc",
                "category": "indicated",
                "commodity": "W",
                "tonnage_t": 95_600_000,
                "grade": 0.209,
                "grade_unit": "% WO3",
                "contained_t": 200_300,
                "cutoff": None,
                "effective_date": "2025-06-30",
                "competent_person": "Independent technical report in the Jiaxin prospectus (CP not named in the source consulted)",
                "note": "Inclusive of the ore reserve below.",
            },
            {
                "code": "jorc",
                "category": "inferred",
                "commodity": "W",
                "tonnage_t": 11_900_000,
                "grade": 0.228,
                "grade_unit": "% WO3",
                "contained_t": 27_000,
                "cutoff": None,
                "effective_date": "2025-06-30",
                "competent_person": "Independent technical report in the Jiaxin prospectus (CP not named in the source consulted)",
                "note": "",
            },
            {
                "code": "jorc",
                "category": "probable",
                "commodity": "W",
                "tonnage_t": 68_400_000,
                "grade": 0.206,
                "grade_unit": "% WO3",
                "contained_t": 140_800,
                "cutoff": None,
                "effective_date": "2025-06-30",
                "competent_person": "Independent technical report in the Jiaxin prospectus (CP not named in the source consulted)",
                "note": "Probable ore reserve.",
            },
        ],
        "sources": [
            {
                "title": "Jiaxin International Resources Investment Ltd (3858) IPO summary: mineral resources and reserves (JORC, as of 30 June 2025)",
                "publisher": "MiniChart",
                "year": 2025,
                "url": "https://www.minichart.com.sg/2025/08/24/30533",
            },
            {
                "title": "Construction of a mining and processing complex at the Boguta tungsten ore deposit",
                "publisher": "ec-info.org",
                "year": 2022,
                "url": "https://ec-info.org/en/project/construction-of-a-mining-and-processing-complex-at-the-boguta-tungsten-ore-deposit/",
            },
            {
                "title": "佳鑫国际资源招股 (Jiaxin International prospectus summary)",
                "publisher": "Tiger Brokers",
                "year": 2025,
                "url": "https://www.itiger.com/news/1194498724",
            },
        ],
    },
    {
        "slug": "koktenkol",
        "name_en": "Koktenkol",
        "name_ru": "Коктенколь",
        "name_kk": "Көктеңкөл",
        "region": "ulytau",
        "district": "Zhanaarka District",
        "latitude": 48.5,
        "longitude": 71.0,
        "deposit_type": "stockwork",
        "stage": "evaluated",
        "commodities": ["Mo", "W", "REE"],
        "summary_en": (
            "A molybdenum-tungsten stockwork deposit of Central Kazakhstan, listed by Trend News Agency "
            "(2025) with Karaoba and Boguty among the country's other significant tungsten deposits. "
            "No public reserve figure was found in the sources consulted."
        ),
        "summary_ru": (
            "Молибден-вольфрамовое штокверковое месторождение "
            "Центрального Казахстана; в 2025 году названо среди значимых вольфрамовых месторождений "
            "страны наряду с Караобой и Богуты. Открытых данных о запасах не найдено."
        ),
        "summary_kk": (
            "Орталық Қазақстанның молибден-вольфрам штокверк кен орны; 2025 "
            "жылы Қараоба және Бұғыты кен орындарымен қатар елдің маңызды вольфрам кен орындарының "
            "бірі ретінде аталды. Қорлар туралы ашық деректер табылмады."
        ),
        "geology": (
            "Described in the source as a predominantly stockwork deposit in which molybdenum "
            "accompanies tungsten, with rare earth elements reported; detailed host-rock and ore "
            "descriptions were not available in the sources consulted."
        ),
        "history": (
            "Part of Kazakhstan's Soviet-era tungsten-molybdenum resource base, which Tau-Ken Samruk puts at about 12 explored tungsten deposits with more than 2 Mt "
            "WO3 in total. Map position and district are approximate and unverified (Central "
            "Kazakhstan, Atasu area)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [],
        "sources": [
            {
                "title": "Kazakhstan, US launch JV to develop Severny Katpar and Verkhnee Kairakty tungsten deposits",
                "publisher": "Trend News Agency",
                "year": 2025,
                "url": "https://www.trend.az/casia/kazakhstan/4114499.html",
            },
            {
                "title": "Kazakh Tungsten Trioxide Reserves Estimated at Over 2 mln T",
                "publisher": "Global Central Asia (Tau-Ken Samruk press service)",
                "year": 2018,
                "url": "http://gca.satrapia.com/kazakh-tungsten",
            },
        ],
    },
    # ------------------------------------------------------------------ lithium-bearing pegmatites
    {
        "slug": "bakennoye",
        "name_en": "Bakennoye",
        "name_ru": "Бакенное",
        "name_kk": "Бакенное",
        "region": "east_kazakhstan",
        "district": "Ulan District",
        "latitude": 49.55,
        "longitude": 83.05,
        "deposit_type": "pegmatite",
        "stage": "exploration",
        "commodities": ["Li", "Ta", "Cs", "Nb", "Be", "Sn"],
        "summary_en": (
            "A former tantalum mine in the Central Kalba rare-metal pegmatite field, now being "
            "re-assessed for lithium. In 2024 the Korea Institute of Geoscience and Mineral Resources "
            "(KIGAM) and SK ecoplant obtained exclusive exploration rights over four deposits in the "
            "Bakennoye area, estimated at roughly 25,000 t of lithium."
        ),
        "summary_ru": (
            "Бывший танталовый рудник в Центрально-Калбинском поле редкометалльных пегматитов, "
            "переоцениваемый на литий. В 2024 году KIGAM и SK ecoplant получили исключительное право "
            "разведки четырёх месторождений района Бакенного (оценка — около 25 тыс. т лития)."
        ),
        "summary_kk": (
            "Орталық Қалба сирек металды пегматит алабындағы бұрынғы тантал кеніші, қазір литийге "
            "қайта бағалануда. 2024 жылы KIGAM мен SK ecoplant Бакенное ауданындағы төрт кен орнын "
            "барлаудың айрықша құқығын алды (шамамен 25 мың т литий)."
        ),
        "geology": (
            "Rare-metal granitic pegmatites of the Kalba-Narym belt, genetically linked to Early "
            "Permian Kalba granites. Zoned albite-spodumene and cleavelandite-lepidolite-pollucite-"
            "spodumene pegmatites carry Li, Ta, Cs, Be, Nb and Sn; KIGAM reported lithium grades up to "
            "5.3% in selected samples over a 1.6 km2 pegmatite field."
        ),
        "history": (
            "Explored and mined for tantalum in Soviet times and listed on the state balance as one "
            "of six deposits that may contain lithium. KIGAM worked the area from May 2023 at the "
            "government's request; an MoU with the Ministry of Industry and Construction, Tau-Ken "
            "Samruk and SK ecoplant (2024) gives exploration rights over four deposits. Map position "
            "is approximate (Asubulak area of Central Kalba)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "state_balance",
                "category": "C2",
                "commodity": "Li",
                "tonnage_t": None,
                "grade": None,
                "grade_unit": "% Li2O",
                "contained_t": 54_000,
                "cutoff": None,
                "effective_date": "2024-01-01",
                "competent_person": "KIGAM (preliminary, from existing reserve data)",
                "note": (
                    "approx.; source gives 'approximately 25,000 tons of lithium' for four deposits in "
                    "the Bakennoye area, shown here as Li2O (x2.15). Category not stated (C2 is a "
                    "placeholder)."
                ),
            },
        ],
        "sources": [
            {
                "title": "KIGAM and SK ecoplant secure lithium exploration rights in Kazakhstan",
                "publisher": "Metalswire",
                "year": 2024,
                "url": "https://metalswire.net/commodities/lithium/kigam-and-sk-ecoplant-secure-lithium-exploration-rights-in-kazakhstan",
            },
            {
                "title": "Kazakhstan positions itself for lithium windfall",
                "publisher": "Eurasianet (via bne IntelliNews)",
                "year": 2024,
                "url": "https://www.intellinews.com/kazakhstan-positions-itself-for-lithium-windfall-316125/?source=kazakhstan",
            },
            {
                "title": "South Korean geoscience institute uncovers lithium deposit in Kazakhstan",
                "publisher": "Euromining",
                "year": 2024,
                "url": "https://euromining.news/?p=16655",
            },
        ],
    },
    {
        "slug": "yubileinoye",
        "name_en": "Yubileinoye",
        "name_ru": "Юбилейное",
        "name_kk": "Юбилейное",
        "region": "east_kazakhstan",
        "district": "Ulan District",
        "latitude": 49.6,
        "longitude": 83.1,
        "deposit_type": "pegmatite",
        "stage": "evaluated",
        "commodities": ["Li", "Ta", "Nb", "Be", "Sn"],
        "summary_en": (
            "A rare-metal pegmatite deposit of Central Kalba, one of six deposits on Kazakhstan's "
            "state balance named by the National Geological Service as potential lithium sources. "
            "No deposit-level reserve figure has been published in the sources consulted."
        ),
        "summary_ru": (
            "Месторождение редкометалльных пегматитов Центральной Калбы; одно из шести месторождений "
            "государственного баланса, названных Национальной геологической службой перспективными "
            "на литий. Опубликованных данных о запасах месторождения не найдено."
        ),
        "summary_kk": (
            "Орталық Қалбаның сирек металды пегматит кен орны; Ұлттық геологиялық қызмет литийге "
            "перспективалы деп атаған мемлекеттік баланстағы алты кен орнының бірі. Кен орны бойынша "
            "жарияланған қор деректері табылмады."
        ),
        "geology": (
            "Albite and albite-spodumene rare-metal pegmatite veins of the Kalba-Narym granitoid belt, "
            "related to Early Permian Kalba granites; Ta, Nb, Be, Li and Sn are the principal rare "
            "metals of this pegmatite type."
        ),
        "history": (
            "Explored in Soviet times as part of the Central Kalba rare-metal district alongside "
            "Bakennoye and Belaya Gora; listed on the state balance (2023) as a potential lithium "
            "deposit. Map position is approximate (Central Kalba, near Bakennoye)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [],
        "sources": [
            {
                "title": "Kazakh president views extraction of critical raw materials as promising cooperation area",
                "publisher": "Interfax-Ukraine",
                "year": 2024,
                "url": "https://en.interfax.com.ua/news/economic/976992.html",
            },
            {
                "title": "Project AP19676805: rare-metal pegmatites of North-Western Kalba",
                "publisher": "D. Serikbayev East Kazakhstan Technical University",
                "year": 2023,
                "url": "https://ektu.kz/research/progectsmon/projects/ap19676805.aspx?lang=en",
            },
        ],
    },
    {
        "slug": "belaya-gora",
        "name_en": "Belaya Gora",
        "name_ru": "Белая Гора",
        "name_kk": "Белая Гора",
        "region": "east_kazakhstan",
        "district": "Ulan District",
        "latitude": 49.5,
        "longitude": 83.15,
        "deposit_type": "pegmatite",
        "stage": "evaluated",
        "commodities": ["Ta", "Li", "Nb", "Be", "Sn"],
        "summary_en": (
            "A tantalum-dominant rare-metal pegmatite deposit of Central Kalba, cited with Bakennoye "
            "and Yubileinoye as a reference industrial deposit for lithium-tantalum exploration in "
            "East Kazakhstan. No deposit-level reserve figure was found in public sources."
        ),
        "summary_ru": (
            "Танталовое месторождение редкометалльных пегматитов Центральной Калбы; вместе с Бакенным "
            "и Юбилейным служит эталонным промышленным объектом для поисков лития и тантала в "
            "Восточном Казахстане. Данных о запасах в открытых источниках не найдено."
        ),
        "summary_kk": (
            "Орталық Қалбаның тантал басым сирек металды пегматит кен орны; Бакенное және Юбилейное "
            "кен орындарымен бірге Шығыс Қазақстанда литий мен тантал іздеудің эталондық нысаны. "
            "Ашық дереккөздерде қор деректері табылмады."
        ),
        "geology": (
            "Albitised rare-metal pegmatites of the Kalba-Narym belt carrying columbite-tantalite, "
            "beryl and cassiterite, with spodumene in the more evolved zones; the pegmatites are "
            "related to Early Permian Kalba granites."
        ),
        "history": (
            "A Soviet-era rare-metal deposit of Central Kalba; used by East Kazakhstan Technical "
            "University (2023-2025 grant project) as a model 'industrial site' for prospecting new "
            "pegmatite deposits. Map position is approximate (Central Kalba, near Bakennoye)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [],
        "sources": [
            {
                "title": "Project AP19676805: rare-metal pegmatites of North-Western Kalba",
                "publisher": "D. Serikbayev East Kazakhstan Technical University",
                "year": 2023,
                "url": "https://ektu.kz/research/progectsmon/projects/ap19676805.aspx?lang=en",
            },
            {
                "title": "Rare Metal (Li-Ta-Nb) Mineralization and Age of the Kvartsevoye Pegmatite Deposit (Eastern Kazakhstan), Minerals 15(7) 737 (reviews the Kalba pegmatite deposits)",
                "publisher": "MDPI",
                "year": 2025,
                "url": "https://www.mdpi.com/2075-163X/15/7/737",
            },
        ],
    },
    {
        "slug": "medvedka",
        "name_en": "Medvedka",
        "name_ru": "Медведка",
        "name_kk": "Медведка",
        "region": "east_kazakhstan",
        "district": "",
        "latitude": 49.45,
        "longitude": 82.9,
        "deposit_type": "pegmatite",
        "stage": "evaluated",
        "commodities": ["Li", "Ta", "Cs", "Rb", "Nb"],
        "summary_en": (
            "A spodumene pegmatite lithium deposit of the Medvedka-Akhmetkino ore field, explored in "
            "Soviet times and mothballed as a strategic reserve. It is one of the six state-balance "
            "deposits that the National Geological Service lists as lithium-bearing."
        ),
        "summary_ru": (
            "Литиевое месторождение сподуменовых пегматитов Медведко-Ахметкинского рудного поля, "
            "разведанное в советское время и законсервированное как стратегический резерв. Входит в "
            "шесть литиеносных месторождений государственного баланса."
        ),
        "summary_kk": (
            "Медведка-Ахметкино кен алабындағы сподумен пегматиттерінің литий кен орны, кеңес кезінде "
            "барланып, стратегиялық резерв ретінде консервацияланған. Мемлекеттік баланстағы литийлі "
            "алты кен орнының бірі."
        ),
        "geology": (
            "Lithium-bearing rare-metal pegmatites in the central part of the Karagoin-Saryozek "
            "pegmatite zone of the Kalba-Narym granitoid belt, controlled by faults in a hornfels "
            "roof between Kalba granite massifs; indicator elements are Li, Rb, Cs, Ta and Nb."
        ),
        "history": (
            "Explored in Soviet times (prospecting reports of 1990-1992 by Vostkaznedra) and "
            "mothballed; re-studied by East Kazakhstan Technical University since 2021. Map position "
            "is approximate and unverified (Karagoin-Saryozek zone, Central Kalba)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [],
        "sources": [
            {
                "title": "Lithium-bearing pegmatites of the Medvedko-Akhmetkino ore field (Oitseva, Mizernaya, Kuzmina)",
                "publisher": "SGEM conference proceedings",
                "year": None,
                "url": "https://epslibrary.at/sgem_jresearch_publication_view.php?page=view&editid1=9004",
            },
            {
                "title": "The search for lithium is being intensified in three regions of Kazakhstan",
                "publisher": "MINEX Forum",
                "year": 2023,
                "url": "https://minexforum.com/2023/11/16/the-search-for-lithium-is-being-intensified-in-three-regions-of-kazakhstan/",
            },
        ],
    },
    {
        "slug": "gremyachinsky",
        "name_en": "Gremyachinsky",
        "name_ru": "Гремячинский участок",
        "name_kk": "Гремячинский учаскесі",
        "region": "east_kazakhstan",
        "district": "Ulan District",
        "latitude": 49.75,
        "longitude": 82.9,
        "deposit_type": "other",
        "stage": "exploration",
        "commodities": ["Li", "Be", "Ta", "Cs", "Rb", "Sn"],
        "summary_en": (
            "A rare-metal exploration site in East Kazakhstan drilled since May 2024 by KAZ Critical "
            "Minerals, a subsidiary of the US investor Cove Capital, which holds 11 concessions in the "
            "area for lithium, beryllium, tantalum, caesium, rubidium and tin. Early results led the "
            "company to expand its drilling programme."
        ),
        "summary_ru": (
            "Редкометалльный поисковый участок в Восточном Казахстане; с мая 2024 года бурение ведёт "
            "KAZ Critical Minerals (дочерняя компания американской Cove Capital), у которой в районе 11 "
            "концессий на литий, бериллий, тантал, цезий, рубидий и олово."
        ),
        "summary_kk": (
            "Шығыс Қазақстандағы сирек металдар іздеу учаскесі; 2024 жылғы мамырдан бері американдық "
            "Cove Capital-дың еншілес компаниясы KAZ Critical Minerals бұрғылау жүргізуде; компанияның "
            "ауданда литий, бериллий, тантал, цезий, рубидий және қалайыға 11 концессиясы бар."
        ),
        "geology": (
            "Rare-metal (Li, Be, Ta, Cs, Rb, Sn) mineralisation in the Ulan district of East "
            "Kazakhstan; the area was covered by state geological mapping in 2001-2003 but never "
            "explored in detail. Ore type and host rocks are not described in the sources consulted."
        ),
        "history": (
            "Mapped by Kazakh geologists in 2001-2003 while updating the state geological map; "
            "KAZ Critical Minerals (KAZ Resources, Cove Capital) began drilling in May 2024 and "
            "validates Soviet data to bring it to modern reporting standards. Map position is "
            "approximate and unverified (Ulan District)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [],
        "sources": [
            {
                "title": "American company searching for rare-earth elements and rare metals in Kazakhstan reports hopeful results",
                "publisher": "Kursiv",
                "year": 2024,
                "url": "https://kz.kursiv.media/en/2024-07-24/american-company-searching-for-rare-earth-metals-in-kazakhstan-reports-hopeful-results",
            },
        ],
    },
    # ------------------------------------------------------------------ rare earths
    {
        "slug": "kuirektykol",
        "name_en": "Kuirektykol",
        "name_ru": "Куйректыколь",
        "name_kk": "Күйректікөл",
        "region": "karaganda",
        "district": "Karkaraly District",
        "latitude": 49.95,
        "longitude": 76.35,
        "deposit_type": "other",
        "stage": "exploration",
        "commodities": ["REE", "Y", "Cu", "Mo"],
        "summary_en": (
            "A rare-earth discovery made under the state geological programme (2022-2024): four "
            "prospective areas with forecast resources of 935,400 t of rare earth metals, mainly "
            "cerium and other lanthanides. The government has asked Tau-Ken Samruk to prepare it for "
            "development."
        ),
        "summary_ru": (
            "Редкоземельный объект, выявленный в рамках государственного геологического изучения "
            "(2022-2024): четыре перспективных участка с прогнозными ресурсами 935,4 тыс. т "
            "редкоземельных металлов (церий и лантаноиды). Правительство поручило «Тау-Кен Самрук» "
            "подготовку к освоению."
        ),
        "summary_kk": (
            "Мемлекеттік геологиялық зерттеу аясында (2022-2024) анықталған сирек жер нысаны: болжамды "
            "ресурстары 935,4 мың т сирек жер металдары (церий мен лантаноидтар) бар төрт перспективалы "
            "учаске. Үкімет игеруге дайындауды «Тау-Кен Самұрыққа» тапсырды."
        ),
        "geology": (
            "An ancient volcanic structure of extinct volcanoes and their products, later altered by "
            "magmatic processes; the ministry describes the mineralisation as a new industrial type "
            "for Kazakhstan. The Irgiz and Dos-2 areas carry more than 0.1% total REE, with "
            "individual samples up to 0.25%."
        ),
        "history": (
            "Studied from 2022 over 64.2 km2 by Tsentrgeolsemka LLP under the state geological "
            "programme; results reported to the government in 2024 and announced in April 2025. "
            "Tau-Ken Samruk is to carry out pre-investment work. Map position is approximate "
            "(about 100 km north-east of Karkaraly, per the ministry)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "state_balance",
                "category": "P1",
                "commodity": "REE",
                "tonnage_t": None,
                "grade": None,
                "grade_unit": "% TREO",
                "contained_t": 935_400,
                "cutoff": None,
                "effective_date": "2024-01-01",
                "competent_person": "Ministry of Industry and Construction of Kazakhstan (Tsentrgeolsemka LLP)",
                "note": (
                    "Forecast resources of 'rare earth metals' (metal vs oxide basis not stated); P "
                    "sub-category not stated (P1 is a placeholder). Irgiz area alone: approx. 800 kt at "
                    ">0.1% REE."
                ),
            },
        ],
        "sources": [
            {
                "title": "Karagandy geologists discover rare earth element deposit",
                "publisher": "The Astana Times",
                "year": 2025,
                "url": "https://astanatimes.com/2025/04/karagandy-geologists-discover-rare-earth-element-deposit/",
            },
            {
                "title": "Kazakhstan discovers new rare earth deposit in Karaganda region",
                "publisher": "Kazinform (Qazinform)",
                "year": 2025,
                "url": "https://qazinform.com/news/kazakhstan-discovers-new-rare-earth-deposit-in-karaganda-region-04174d",
            },
            {
                "title": "Large deposit of rare earth metals discovered in Kazakhstan",
                "publisher": "Tengrinews",
                "year": 2024,
                "url": "https://en.tengrinews.kz/kazakhstan_news/large-deposit-of-rare-earth-metals-discovered-in-kazakhstan-265433",
            },
        ],
    },
    {
        "slug": "zhana-kazakhstan",
        "name_en": "Zhana Kazakhstan",
        "name_ru": "Жана Казахстан",
        "name_kk": "Жаңа Қазақстан",
        "region": "karaganda",
        "district": "Karkaraly District",
        "latitude": 49.85,
        "longitude": 76.2,
        "deposit_type": "other",
        "stage": "exploration",
        "commodities": ["REE", "Y"],
        "summary_en": (
            "A strata-bound rare-earth area adjoining Kuirektykol to the south and west, announced by "
            "the Ministry of Industry and Construction in April 2025 with forecast resources of more "
            "than 20 Mt to 300 m depth at about 700 g/t REE (Nd, Ce, La, Y). Independent experts "
            "stress that the figures are preliminary and unverified."
        ),
        "summary_ru": (
            "Стратиформная редкоземельная площадь к югу и западу от Куйректыколя; в апреле 2025 года "
            "Минпромстрой объявил прогнозные ресурсы более 20 млн т до глубины 300 м при среднем "
            "содержании около 700 г/т (Nd, Ce, La, Y). Независимые эксперты подчёркивают, что оценка "
            "предварительная."
        ),
        "summary_kk": (
            "Күйректікөлдің оңтүстігі мен батысындағы стратиформды сирек жер алаңы; 2025 жылғы сәуірде "
            "министрлік 300 м тереңдікке дейін 20 млн т-дан астам болжамды ресурсты, орташа құрамы "
            "шамамен 700 г/т (Nd, Ce, La, Y) деп жариялады. Тәуелсіз сарапшылар бағалаудың алдын ала "
            "екенін атап өтеді."
        ),
        "geology": (
            "Strata-bound rare-earth mineralisation within the same volcanic structure as "
            "Kuirektykol; neodymium, cerium, lanthanum and yttrium are reported. No drilling results "
            "or classified reserves had been published by late 2025."
        ),
        "history": (
            "Identified by exploration funded by a private geological company around the state "
            "Kuirektykol site and announced by the ministry on 2 April 2025. Map position is "
            "approximate (south-west of Kuirektykol; the ministry gives about 420 km from Astana)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "state_balance",
                "category": "P2",
                "commodity": "REE",
                "tonnage_t": 20_000_000,
                "grade": 700,
                "grade_unit": "ppm",
                "contained_t": 14_000,
                "cutoff": None,
                "effective_date": "2025-01-01",
                "competent_person": "Ministry of Industry and Construction of Kazakhstan (preliminary forecast)",
                "note": (
                    "approx.; ministry gives '>20 Mt' to 300 m at ~700 g/t REE, reported ambiguously "
                    "as ore or metal; shown as ore. Contained REE derived (20 Mt x 700 g/t). P2 is a "
                    "placeholder category."
                ),
            },
        ],
        "sources": [
            {
                "title": "Kazakhstan says it has discovered rare earth metal deposit (Reuters)",
                "publisher": "Reuters (via squidsaccess.com)",
                "year": 2025,
                "url": "https://squidsaccess.com/2025/04/02/kazakhstan-says-it-has",
            },
            {
                "title": "Can Kazakhstan deliver on the rare earth hype?",
                "publisher": "bne IntelliNews",
                "year": 2025,
                "url": "https://www.intellinews.com/can-kazakhstan-deliver-on-the-rare-earth-hype-387857/?source=kazakhstan",
            },
            {
                "title": "Karagandy geologists discover rare earth element deposit",
                "publisher": "The Astana Times",
                "year": 2025,
                "url": "https://astanatimes.com/2025/04/karagandy-geologists-discover-rare-earth-element-deposit/",
            },
        ],
    },
    {
        "slug": "akbulak",
        "name_en": "Akbulak",
        "name_ru": "Акбулак",
        "name_kk": "Ақбұлақ",
        "region": "kostanay",
        "district": "Arkalyk city administration",
        "latitude": 50.1,
        "longitude": 67.3,
        "deposit_type": "other",
        "stage": "exploration",
        "commodities": ["REE"],
        "summary_en": (
            "A rare-earth site about 35 km from Arkalyk with historical (Soviet) reserve data. The "
            "joint venture Akbulak REE Ltd (Cove Capital 75%, Kazgeology 25%) holds the exploration "
            "contract to December 2027; Cove finances exploration until reserves are registered."
        ),
        "summary_ru": (
            "Редкоземельный участок примерно в 35 км от Аркалыка с историческими (советскими) данными "
            "о запасах. Контракт на разведку до декабря 2027 года у СП Akbulak REE Ltd (Cove Capital — "
            "75%, «Казгеология» — 25%)."
        ),
        "summary_kk": (
            "Арқалықтан шамамен 35 км жердегі тарихи (кеңестік) қор деректері бар сирек жер учаскесі. "
            "Барлау келісімшарты 2027 жылғы желтоқсанға дейін Akbulak REE Ltd БК-да (Cove Capital — 75%, "
            "«Қазгеология» — 25%)."
        ),
        "geology": (
            "Rare-earth mineralisation known from historical geological data; the sources consulted "
            "do not describe host rocks or ore type."
        ),
        "history": (
            "Tau-Ken Samruk and Cove Capital signed a term sheet in 2024; the joint venture Akbulak "
            "REE Ltd was registered in March 2025 and fieldwork was to start in autumn 2025. Map "
            "position is approximate (the sources give only '35 km from Arkalyk')."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "state_balance",
                "category": "C2",
                "commodity": "REE",
                "tonnage_t": None,
                "grade": None,
                "grade_unit": "% TREO",
                "contained_t": 349_000,
                "cutoff": None,
                "effective_date": "2025-01-01",
                "competent_person": "Historical data, as reported in the press",
                "note": (
                    "approx.; 'total reserves estimated at 349 thousand tonnes' from a secondary news "
                    "source only; basis, category and date of the historical estimate not stated (C2 "
                    "is a placeholder)."
                ),
            },
        ],
        "sources": [
            {
                "title": "СП Akbulak REE Ltd: геологоразведка на участке Акбулак в 35 км от Аркалыка",
                "publisher": "Наша газета (ng.kz)",
                "year": 2025,
                "url": "https://www.ng.kz/modules/news/article.php?storyid=57254",
            },
            {
                "title": "Kazakhstan, US launch rare earth exploration in Kostanai Region",
                "publisher": "The Astana Times",
                "year": 2025,
                "url": "https://astanatimes.com/2025/08/kazakhstan-us-launch-rare-earth-exploration-in-kostanai-region/",
            },
            {
                "title": "Kazakstan, terre rare e USA (Akbulak, 349 mila tonnellate)",
                "publisher": "News-Pravda (Italy)",
                "year": 2025,
                "url": "https://italy.news-pravda.com/world/2025/07/29/245260.html",
            },
        ],
    },
    {
        "slug": "talairyk",
        "name_en": "Talairyk",
        "name_ru": "Талайрык",
        "name_kk": "Талайрық",
        "region": "kostanay",
        "district": "",
        "latitude": 50.3,
        "longitude": 65.5,
        "deposit_type": "weathering_crust",
        "stage": "exploration",
        "commodities": ["REE", "Y"],
        "summary_en": (
            "A heavy-rare-earth deposit in kaolinitic weathering crust (ion-adsorption-clay type) in "
            "East Kostanay, held under a farm-in by East Star Resources (up to 90%). A 1994 resource "
            "model gives 19,962 t TREO, including 4,300 t Y2O3, at 786 g/t."
        ),
        "summary_ru": (
            "Месторождение тяжёлых РЗЭ в каолиновой коре выветривания (ионно-адсорбционный тип) на "
            "востоке Костанайской области; East Star Resources зарабатывает долю до 90%. Модель 1994 "
            "года: 19 962 т TREO, в том числе 4 300 т Y2O3, при 786 г/т."
        ),
        "summary_kk": (
            "Қостанай облысының шығысындағы каолинді үгілу қыртысындағы (ион-адсорбциялық түр) ауыр "
            "сирек жер кен орны; East Star Resources 90%-ға дейін үлес алуда. 1994 жылғы модель: "
            "19 962 т TREO, оның ішінде 4 300 т Y2O3, 786 г/т."
        ),
        "geology": (
            "Kaolinite-dominated weathering profile up to 58.6 m thick (average about 32 m in 2022 "
            "drilling) above a granite intrusion, at an average 7.5 m below surface. Samples carry "
            "815-5,185 ppm TREE; leach tests in 2023 gave low ammonium-sulphate recoveries, so the "
            "clays are not yet proven to behave like South China ion-adsorption ores."
        ),
        "history": (
            "Yttrium and REE mineralisation found by prospecting in 1987-1991, with appraisal work in "
            "1991-1994 (128 core and 61 auger holes). East Star Resources farmed in from Phoenix "
            "Mining in 2022, added the Talairyk 1 licence (134.7 km2) and drilled 1,001 m of RC holes "
            "in November 2022. Map position is approximate and unverified: the sources give only "
            "'East Kostanay region'."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [
            {
                "code": "state_balance",
                "category": "C2",
                "commodity": "REE",
                "tonnage_t": None,
                "grade": 786,
                "grade_unit": "ppm",
                "contained_t": 19_962,
                "cutoff": None,
                "effective_date": "1994-01-01",
                "competent_person": "1994 historical resource model, as reported by East Star Resources plc",
                "note": (
                    "Historical, not JORC compliant; TREO incl. 4,300 t Y2O3. Category not stated by the "
                    "source (C2 is a placeholder)."
                ),
            },
        ],
        "sources": [
            {
                "title": "Farm-In to Ionic Adsorption Clay Heavy Rare Earths Project, Kazakhstan",
                "publisher": "East Star Resources plc (RNS)",
                "year": 2022,
                "url": "https://mx.advfn.com/bolsa-de-valores/LSE/EST/noticias/88148891/east-star-resources-plc-farm-in-to-iac-heavy-rare",
            },
            {
                "title": "East Kostanay: Talairyk HREE ionic adsorption clay project",
                "publisher": "East Star Resources plc",
                "year": None,
                "url": "https://www.eaststarplc.com/copy-of-chu-ili-belt-projects",
            },
            {
                "title": "Rare Earth Metallurgical Results (Talairyk)",
                "publisher": "East Star Resources plc (RNS)",
                "year": 2023,
                "url": "https://d3ur5s4dyg6skx.cloudfront.net/rns/news/33577282",
            },
        ],
    },
    {
        "slug": "melovoye",
        "name_en": "Melovoye",
        "name_ru": "Меловое",
        "name_kk": "Меловое",
        "region": "mangystau",
        "district": "Aktau city administration",
        "latitude": 43.75,
        "longitude": 51.3,
        "deposit_type": "sedimentary",
        "stage": "closed",
        "commodities": ["REE", "U"],
        "summary_en": (
            "A uranium-rare-earth deposit on the Mangyshlak Peninsula, one of only three deposits "
            "that produced rare earths in the Soviet Union (mainly yttrium-group REE). It is on the "
            "Ministry of Industry's list of Kazakhstan's 15 registered rare-earth deposits."
        ),
        "summary_ru": (
            "Уран-редкоземельное месторождение на полуострове Мангышлак — одно из трёх месторождений, "
            "на которых в СССР добывали редкие земли (в основном иттриевой группы). Входит в перечень "
            "15 учтённых редкоземельных месторождений Казахстана."
        ),
        "summary_kk": (
            "Маңғышлақ түбегіндегі уран-сирек жер кен орны — КСРО-да сирек жерлер өндірілген үш кен "
            "орнының бірі (негізінен иттрий тобы). Қазақстанның есепке алынған 15 сирек жер кен "
            "орнының тізіміне кіреді."
        ),
        "geology": (
            "Uranium and rare earths hosted in phosphatic sediments of the Mangyshlak Peninsula; "
            "rare earths were recovered as by-products of uranium ore processing, mainly of the "
            "yttrium group. No current reserve figures were found in public sources."
        ),
        "history": (
            "Mined in Soviet times for uranium with by-product rare earths; Kazakhstan produced an "
            "estimated 97 t of rare-earth metals in 1990. Listed by the Ministry of Industry and "
            "Construction (2024) among the 15 registered rare-earth deposits. Map position is "
            "approximate (near Aktau)."
        ),
        "infrastructure": {
            "rail_km": None,
            "road_km": None,
            "power_km": None,
            "water_km": None,
        },
        "estimates": [],
        "sources": [
            {
                "title": "2008 Minerals Yearbook: The Mineral Industries of Countries of the Baltic, Caucasus, Central Asia and Eurasia regions (Kazakhstan, rare earths)",
                "publisher": "U.S. Geological Survey",
                "year": 2010,
                "url": "http://fayllar.org/2008-minerals-yearbook-u-s-department-of-the-interior.html?page=3",
            },
            {
                "title": "Kazakhstan and rare earth metals: the 'new oil'?",
                "publisher": "Tengrinews",
                "year": 2024,
                "url": "https://en.tengrinews.kz/kazakhstan_news/kazakhstan-and-rare-earth-metals-new-oil-265177",
            },
        ],
    },
]

# Each deposit's texts in Russian and Kazakh beside the English (demo/deposit_translations.py).
DEPOSITS = [translated(record) for record in DEPOSITS]
