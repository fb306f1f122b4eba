"""Vocabulary for the demo catalog (directory.demo.load). Invented, generic, and in Chinese.

Employers, people, addresses and phone numbers are made up (phones follow an obviously fake
8000-0xxx pattern); the shape of the catalog follows the published Qingdao Phase I (190 posts,
7 employers, catering / domestic services / security) and the Linyi Yihe call for posts.
"""

from typing import NamedTuple

from employers.choices import EmployerSize, Sector, WorkForm

DEMO_PASSWORD = "momjobs-demo-2026"  # noqa: S105 - published on purpose: demo logins
# The authenticator key of the demo bureau officers and admin (two-factor sign-in is required
# for those roles). Published on purpose: it only protects invented demo accounts.
DEMO_TOTP_SECRET = "MOMJOBSDEMOKEYTWOSIXMOMJOBSDEMOK"  # noqa: S105 - demo only, published
DEMO_DOMAIN = "demo.momjobs.cn"
SEED = 20260101

# ---------------------------------------------------------------------------------------------
# Minimum wages (山东省, tiers in force since 2023-10-01)

WAGE_SOURCE = "山东省人民政府关于公布全省最低工资标准的通知"
MINIMUM_WAGES = [
    # (region code, hourly, monthly, effective from); the province row is the lowest tier,
    # inherited by any region without a row of its own.
    ("370000", "18.00", "1820.00", "2023-10-01"),
    ("370200", "22.00", "2200.00", "2023-10-01"),
    ("371300", "20.00", "2010.00", "2023-10-01"),
]

# ---------------------------------------------------------------------------------------------
# Shifts: weekly windows in the shape of Posting.schedule. `forms` are the work forms a shift
# allows: the short ones keep within Labour Contract Law art. 68 (<= 4 h a day on average,
# <= 24 h a week), the long ones are full-time with reduced, school-friendly hours.

WEEKDAYS = [1, 2, 3, 4, 5]
PART = (WorkForm.PART_TIME, WorkForm.HOURLY)
FULL = (WorkForm.FULL_TIME,)


def _w(days, start, end):
    return {"days": list(days), "start": start, "end": end}


SHIFTS = {
    # early, before school: 15 h / 24 h a week
    "early": ([_w(WEEKDAYS, "06:00", "09:00")], PART),
    "early6": ([_w([1, 2, 3, 4, 5, 6], "06:00", "10:00")], PART),
    # school hours
    "morning": ([_w(WEEKDAYS, "08:30", "12:30")], PART),
    "morning3": ([_w(WEEKDAYS, "09:00", "12:00")], PART),
    "lunch": ([_w(WEEKDAYS, "10:30", "13:30")], PART),
    "lunch6": ([_w([1, 2, 3, 4, 5, 6], "10:30", "14:00")], PART),
    "midday": ([_w(WEEKDAYS, "11:00", "14:00")], PART),
    "afternoon": ([_w(WEEKDAYS, "12:30", "15:30")], PART),
    "split": ([_w(WEEKDAYS, "09:00", "11:30"), _w(WEEKDAYS, "13:00", "14:30")], PART),
    "mwf": ([_w([1, 3, 5], "09:00", "13:00")], PART),
    "tts": ([_w([2, 4, 6], "08:30", "12:30")], PART),
    # evenings and weekends (when a partner or grandparent is home)
    "dinner": ([_w(WEEKDAYS, "11:00", "13:00"), _w(WEEKDAYS, "17:00", "19:00")], PART),
    "evening": ([_w(WEEKDAYS, "17:30", "21:30")], PART),
    "weekend": ([_w([6, 7], "10:00", "14:00")], PART),
    "weekend_eve": ([_w([5], "18:00", "22:00"), _w([6, 7], "09:00", "13:00")], PART),
    "gate": ([_w(WEEKDAYS, "07:00", "08:30"), _w(WEEKDAYS, "16:00", "17:30")], PART),
    "night_short": ([_w([5, 6, 7], "20:00", "24:00")], PART),
    # full-time, reduced hours around school
    "school": ([_w(WEEKDAYS, "09:00", "15:00")], FULL),
    "school7": ([_w(WEEKDAYS, "08:30", "15:30")], FULL),
    "day8": ([_w(WEEKDAYS, "08:30", "16:30")], FULL),
    "night": ([_w(WEEKDAYS, "22:00", "06:00")], FULL),
    # self-chosen hours
    "flex": ([], (WorkForm.HOURLY, WorkForm.PART_TIME)),
}

# ---------------------------------------------------------------------------------------------
# Titles: (title, shifts, hourly pay band, duties, requirements, training offered)


class Title(NamedTuple):
    title: str
    shifts: tuple
    band: tuple  # 元 per hour, low and high, before per-posting variation
    duties: str
    requirements: str
    training: bool = False


HEALTH_CERT = "需持有效健康证（可入职后办理，费用由单位承担）。"

# fmt: off

RESTAURANT_TITLES = [
    Title("午市服务员", ("lunch", "midday", "lunch6"), (22, 26), "负责午市点餐、上菜、翻台和简单的顾客咨询，高峰时段配合传菜。", "普通话清楚，待人耐心；" + HEALTH_CERT),
    Title("午市传菜员", ("lunch", "midday"), (22, 25), "负责后厨与前厅之间的传菜、划单，保证出菜顺序和餐品完整。", "手脚利落，能适应高峰时段节奏；" + HEALTH_CERT),
    Title("午市收银员", ("lunch", "midday"), (23, 27), "负责午市收银、开具电子发票、核对外卖平台订单。", "会使用智能手机和收银系统，有收银经验者优先。", True),
    Title("餐厅迎宾接待", ("lunch", "dinner"), (22, 26), "负责迎宾引座、预订登记和排号叫号，解答顾客问题。", "形象整洁，沟通主动；" + HEALTH_CERT),
    Title("后厨切配助理", ("morning", "lunch"), (23, 28), "按菜单完成蔬菜、肉类的清洗切配和分装，协助厨师备料。", "有家庭烹饪基础即可，刀工可带教；" + HEALTH_CERT, True),
    Title("洗碗保洁员", ("midday", "afternoon", "lunch6"), (22, 24), "负责餐具清洗消毒、洗碗机操作和后厨地面清洁。", "吃苦耐劳，按消毒规程操作；" + HEALTH_CERT),
    Title("凉菜间助理", ("morning", "lunch"), (23, 28), "协助凉菜师傅完成凉菜备料、装盘和专间消毒记录。", "遵守专间卫生要求；" + HEALTH_CERT, True),
    Title("外卖打包员", ("dinner", "lunch"), (22, 25), "负责外卖订单的核单、打包、封签和骑手交接。", "细心，能看懂手机订单信息；" + HEALTH_CERT),
    Title("晚市服务员", ("evening", "weekend_eve"), (23, 27), "负责晚市点餐、上菜和结账引导，收市后整理台面。", "能上晚班，适合家中晚间有人照看孩子的求职者；" + HEALTH_CERT),
    Title("周末宴会服务员", ("weekend", "weekend_eve"), (24, 30), "负责周末婚宴、寿宴的摆台、上菜和宴会收尾。", "能在周末到岗，有宴会服务经验者优先；" + HEALTH_CERT),
    Title("餐厅值班主管", ("school", "school7"), (25, 32), "协助店长排班、巡台、处理顾客反馈，负责午市现场管理。", "有一年以上餐饮门店工作经验，会基础电脑操作。", True),
    Title("收银员", ("school", "morning", "afternoon"), (22, 27), "负责门店收银、会员登记、日结对账和发票开具。", "细心诚信，会使用电脑或平板收银系统。", True),
    Title("门店库管员", ("morning", "school7"), (23, 28), "负责食材验收、出入库登记、效期检查和每周盘点。", "会使用表格软件，做事有条理。", True),
    Title("餐厅保洁员", ("early", "afternoon", "morning3"), (22, 24), "负责餐厅前厅、洗手间和门前区域的清洁与消毒记录。", "身体健康，能按清洁标准作业。"),
]

BREAKFAST_TITLES = [
    Title("早餐店帮厨", ("early", "early6"), (22, 26), "负责早餐时段的备料、煎烙和出餐，协助门店开档收档。", "能早起，有厨房工作经验者优先；" + HEALTH_CERT),
    Title("早餐窗口售卖员", ("early", "early6"), (22, 25), "负责早餐窗口售卖、扫码收款和餐品补货。", "反应快，待人热情；" + HEALTH_CERT),
    Title("面点师助理", ("early6", "morning", "early"), (23, 30), "协助面点师和面、擀皮、包制和蒸制，按标准完成每日面点。", "喜欢做面食，手艺可带教；" + HEALTH_CERT, True),
    Title("包子铺包点员", ("early", "early6"), (22, 27), "负责包子、烧卖等点心的包制和上屉，保证出品规格一致。", "手巧细心，有包制经验者优先；" + HEALTH_CERT, True),
    Title("豆浆油条制作员", ("early", "early6"), (22, 26), "负责现磨豆浆、油条和粥品的制作，按规程管理油温和用油。", "能早起，注意操作安全；" + HEALTH_CERT, True),
    Title("烘焙店店员", ("school", "morning", "afternoon"), (22, 26), "负责面包陈列、称重收银、门店整理和顾客咨询。", "喜欢烘焙，会使用收银系统；" + HEALTH_CERT),
    Title("烘焙学徒", ("school7", "school"), (22, 27), "在师傅带领下学习面包、蛋糕的基础制作，参与每日生产。", "对烘焙有兴趣，肯学肯练；" + HEALTH_CERT, True),
    Title("西点裱花助理", ("morning", "afternoon"), (24, 30), "协助裱花师完成蛋糕抹面、裱花和订单包装。", "审美好，手稳，有裱花基础者优先；" + HEALTH_CERT, True),
    Title("饮品店店员", ("afternoon", "morning", "weekend"), (22, 25), "负责饮品制作、出杯、原料补充和吧台清洁。", "按配方操作，动作熟练后可调整班次；" + HEALTH_CERT, True),
    Title("咖啡店兼职店员", ("morning", "weekend", "mwf"), (23, 28), "负责咖啡制作、点单收银和门店日常维护，新人有系统带教。", "对咖啡感兴趣，愿意学习咖啡制作；" + HEALTH_CERT, True),
]

CANTEEN_TITLES = [
    Title("团餐分餐员", ("lunch", "midday"), (22, 25), "负责企业团餐的分餐、打饭和窗口秩序，午餐后整理餐线。", "动作麻利，讲究卫生；" + HEALTH_CERT),
    Title("学校食堂帮厨", ("morning", "school"), (22, 26), "在中小学食堂协助备料、烹饪和学生午餐出餐，寒暑假随学校放假。", "热爱孩子，遵守学校食品安全制度；" + HEALTH_CERT),
    Title("学校食堂售饭员", ("lunch", "midday"), (22, 25), "负责学生午餐窗口售饭和餐后餐具回收，寒暑假随学校放假。", "耐心细致，能在学生高峰时段保持秩序；" + HEALTH_CERT),
    Title("中央厨房净菜加工员", ("early6", "morning"), (22, 26), "在中央厨房完成蔬菜分拣、清洗、切配和称重包装。", "能适应冷库与加工间环境；" + HEALTH_CERT),
    Title("社区长者食堂服务员", ("lunch", "midday"), (22, 25), "为社区老人提供助餐服务：打餐、送餐到桌和餐后清洁，必要时协助行动不便的老人。", "有耐心，愿意与老人打交道；" + HEALTH_CERT),
    Title("食堂面点员", ("early", "morning"), (23, 28), "负责食堂馒头、花卷、包子等主食的制作。", "有面食制作经验者优先；" + HEALTH_CERT, True),
    Title("营养餐配送员", ("midday", "lunch"), (22, 26), "将中央厨房的营养餐按线路送到学校和社区助餐点，并做好交接登记。", "持C1驾驶证，熟悉附近道路；" + HEALTH_CERT),
    Title("食堂保洁员", ("afternoon", "split"), (22, 24), "负责食堂餐厅、后厨和餐具间的清洁消毒。", "身体健康，按清洁消毒规程作业。"),
]

HOMECARE_TITLES = [
    Title("家政服务员", ("split", "morning", "flex"), (26, 38), "上门提供日常保洁、衣物整理和简单家务，服务区域就近安排。", "有家务经验，诚实守信；上岗前参加公司免费岗前培训。", True),
    Title("育儿嫂", ("school7", "day8"), (34, 48), "白天在雇主家照护0-3岁婴幼儿的饮食起居、辅食制作和早教游戏，晚上回家。", "持育婴员证者优先，无证者可参加公司免费培训后上岗。", True),
    Title("育婴员（白班）", ("school7", "school"), (32, 45), "在托育机构或家庭照护婴幼儿，做好喂养、午睡和成长记录。", "持育婴员或保育师证书者优先，性格温和有耐心。", True),
    Title("家庭保洁师", ("morning", "split", "mwf"), (28, 38), "按标准流程完成家庭深度保洁：厨房、卫生间、地面和玻璃。", "能按流程作业，工具和清洁剂由公司提供。", True),
    Title("收纳整理师", ("mwf", "tts", "flex"), (35, 50), "上门为家庭做衣橱、厨房和儿童房的收纳规划与整理。", "有审美和条理，公司提供收纳技能带教。", True),
    Title("养老护理员（居家）", ("morning", "split", "school7"), (26, 36), "上门为居家老人提供助浴、助餐、陪伴和简单康复协助。", "持养老护理员证者优先，有照护家人经验亦可。", True),
    Title("陪诊员", ("flex", "morning"), (30, 45), "陪同老人或行动不便者就医：预约挂号、取号排队、取药和就诊记录。", "熟悉青岛主要医院就诊流程，会使用手机预约挂号。", True),
    Title("家庭烹饪师", ("midday", "afternoon"), (28, 38), "上门为家庭制作午餐或晚餐，根据家庭口味安排菜谱。", "擅长家常菜，注意厨房卫生。"),
    Title("产后母婴护理员", ("school7", "day8"), (38, 55), "白天上门照护产妇和新生儿：产后饮食、新生儿洗护和喂养指导。", "持母婴护理相关证书者优先，公司提供进阶培训。", True),
    Title("家政客服专员", ("school", "morning"), (22, 27), "负责接听客户来电、派单、回访和服务评价登记。", "普通话标准，会使用电脑办公软件。", True),
    Title("课后托管助理", ("afternoon", "mwf"), (24, 30), "在社区托管点协助看护小学生午休、作业辅导和安全接送交接。", "有耐心，喜欢孩子，有教育或托管经验者优先。", True),
    Title("老人陪护员（日间）", ("morning", "split"), (25, 33), "白天陪伴居家老人，协助用餐、服药提醒、散步和安全看护。", "有耐心、有责任心，能识别老人常见突发情况。", True),
]

AGENCY_TITLES = [
    Title("钟点工", ("flex", "morning3", "mwf"), (28, 40), "按预约上门做日常保洁、做饭或洗熨衣物，每次2-4小时。", "有家务经验，守时守信。"),
    Title("日常保洁钟点工", ("flex", "tts"), (28, 36), "按订单上门完成2-4小时的日常保洁，服务前后拍照确认。", "会使用手机接单软件。"),
    Title("开荒保洁员", ("flex", "weekend"), (30, 40), "参与新装修住宅的开荒保洁，以小组形式上门作业。", "能适应上门作业，工具由公司提供。"),
    Title("家电清洗助理", ("flex", "mwf"), (30, 42), "协助师傅上门清洗空调、油烟机和洗衣机。", "动手能力强，可学习家电拆装清洗。", True),
    Title("衣物护理员", ("morning", "afternoon"), (24, 30), "在洗衣门店负责衣物分拣、去渍、熨烫和打包。", "细心，能按衣物标签选择洗护方式。", True),
    Title("宠物照护员", ("flex", "weekend"), (25, 35), "上门喂养和照看宠物、遛狗、清理猫砂，服务后向主人反馈。", "喜欢动物，熟悉常见宠物习性。"),
    Title("社区助餐配送员", ("midday", "lunch"), (22, 26), "为社区独居老人送餐上门，顺带问候并登记老人状况。", "熟悉服务社区，会骑电动车。"),
    Title("家庭早教陪伴师", ("afternoon", "flex"), (28, 40), "上门陪伴3-6岁儿童开展绘本阅读、手工和户外游戏。", "有幼教或早教经验者优先，普通话标准。", True),
]

GUARD_TITLES = [
    Title("小区保安", ("morning", "school7", "day8"), (22, 26), "负责小区门岗值守、访客登记、车辆引导和日常巡查。", "持保安员证者优先，无证者可由公司组织考证。", True),
    Title("写字楼前台安保员", ("school", "school7"), (23, 28), "负责写字楼大堂前台接待、访客核验和消防通道巡查。", "形象整洁，会使用门禁与访客系统。", True),
    Title("监控室值班员", ("morning", "school7", "evening"), (22, 27), "负责监控室视频巡查、报警处置登记和对讲调度。", "会使用电脑，责任心强。", True),
    Title("夜班巡逻保安", ("night",), (24, 30), "负责园区夜间巡逻打卡、门岗值守和突发情况上报。", "能上夜班，持保安员证者优先。", True),
    Title("消防控制室值班员", ("school7", "day8"), (26, 32), "负责消防控制室值守、火警信号确认和设备巡检记录。", "持消防设施操作员证书（可由公司组织培训考证）。", True),
    Title("学校护学岗安保员", ("gate",), (23, 28), "在中小学上学、放学时段维护校门秩序，保障学生进出校安全。", "责任心强，有耐心；需配合学校安全培训。", True),
    Title("医院导诊安保员", ("morning", "school7"), (22, 27), "在医院门诊大厅维护就诊秩序，协助导诊和自助机使用指引。", "熟悉智能手机操作，耐心细致。", True),
    Title("门岗登记员", ("morning", "afternoon", "split"), (22, 25), "负责单位门岗人员与车辆登记、快递收发和来访引导。", "会使用平板登记系统。"),
]

INSPECTION_TITLES = [
    Title("商场安检员", ("morning", "afternoon", "weekend"), (22, 26), "负责商场入口安检、客流疏导和失物登记。", "持保安员证者优先，上岗前统一培训。", True),
    Title("地铁站安检员", ("early", "morning", "afternoon"), (23, 28), "负责地铁站安检机值机、开包检查和乘客引导。", "持保安员证者优先，通过背景审查。", True),
    Title("展会安检员（周末）", ("weekend", "weekend_eve"), (24, 30), "在会展中心周末展会期间负责入口安检和证件核验。", "能在周末到岗，服从现场调度。", True),
    Title("停车场管理员", ("morning", "afternoon", "school7"), (22, 25), "负责停车场车辆引导、收费核对和巡查登记。", "会使用智能手机，熟悉停车收费系统可带教。"),
    Title("物业秩序维护员", ("school7", "morning", "night_short"), (22, 26), "负责物业项目的秩序维护、巡逻和公共设施安全检查。", "持保安员证者优先。", True),
    Title("银行网点安保员", ("school7", "day8"), (24, 29), "负责银行网点营业时段的安全守护、客户引导和押运交接配合。", "持保安员证，通过背景审查。", True),
    Title("社区巡逻员", ("morning", "afternoon", "evening"), (22, 25), "在社区开展日常巡逻、消防隐患排查和邻里纠纷信息上报。", "熟悉社区环境，沟通能力好。"),
]
# fmt: on

# ---------------------------------------------------------------------------------------------
# Qingdao: districts and roads (addresses are invented house numbers on real road names)

QINGDAO_DISTRICTS = {
    "370202": ("市南区", ["香港中路", "闽江路", "燕儿岛路", "宁夏路", "山东路"]),
    "370203": ("市北区", ["辽宁路", "台东一路", "敦化路", "延吉路", "哈尔滨路"]),
    "370211": ("黄岛区", ["长江中路", "井冈山路", "珠江路", "峨眉山路"]),
    "370212": ("崂山区", ["海尔路", "松岭路", "深圳路", "株洲路"]),
    "370213": ("李沧区", ["京口路", "九水路", "书院路", "巨峰路"]),
    "370214": ("城阳区", ["正阳路", "长城路", "春阳路", "文阳路"]),
    "370215": ("即墨区", ["鹤山路", "蓝鳌路", "烟青路", "振华街"]),
    "370281": ("胶州市", ["福州路", "扬州路", "常州路"]),
}


class DemoEmployer(NamedTuple):
    key: str
    name: str
    brand: str  # how the posts call the company or its shops
    sector: str
    district: str  # registered in this district (USCC region part and address)
    size: str
    count: int  # postings in the phase
    profile: str  # "good", "mixed" or "poor": how rights are offered, as in reality
    titles: list
    sites: list  # district codes where it has shops / service areas
    contact: str
    description: str
    recognised: bool = False


QINGDAO_EMPLOYERS = [
    DemoEmployer(
        "haizhiwei",
        "青岛海之味餐饮管理有限公司",
        "海之味",
        Sector.CATERING,
        "370202",
        EmployerSize.MEDIUM,
        40,
        "good",
        RESTAURANT_TITLES,
        ["370202", "370203", "370212", "370213", "370211", "370214"],
        "刘经理",
        "以海鲜家常菜为主的连锁餐饮企业，在青岛市区经营多家门店。实行“妈妈班”弹性排班，午市班次避开上下学时段。",
        recognised=True,
    ),
    DemoEmployer(
        "chenxi",
        "青岛晨曦早点餐饮有限公司",
        "晨曦早点",
        Sector.CATERING,
        "370213",
        EmployerSize.SMALL,
        30,
        "mixed",
        BREAKFAST_TITLES,
        ["370213", "370203", "370214", "370215", "370202"],
        "孙店长",
        "社区早餐和烘焙连锁，主营包子、豆浆油条和现烤面包，门店多设在居民区和地铁站附近。",
    ),
    DemoEmployer(
        "linli",
        "青岛邻里食堂餐饮服务有限公司",
        "邻里食堂",
        Sector.CATERING,
        "370214",
        EmployerSize.MEDIUM,
        22,
        "good",
        CANTEEN_TITLES,
        ["370214", "370213", "370215", "370281", "370211"],
        "周主管",
        "承接中小学食堂、企业团餐和社区长者食堂运营，设有中央厨房。学校食堂岗位随学校寒暑假放假。",
    ),
    DemoEmployer(
        "anxin",
        "青岛安心家政服务有限公司",
        "安心家政",
        Sector.DOMESTIC,
        "370203",
        EmployerSize.MEDIUM,
        34,
        "mixed",
        HOMECARE_TITLES,
        ["370203", "370202", "370213", "370212", "370214"],
        "王老师",
        "员工制家政服务企业，提供保洁、育婴、居家养老和陪诊服务，服务人员统一培训、统一派单。",
    ),
    DemoEmployer(
        "nuanjia",
        "青岛暖家家庭服务有限公司",
        "暖家",
        Sector.DOMESTIC,
        "370212",
        EmployerSize.SMALL,
        22,
        "poor",
        AGENCY_TITLES,
        ["370212", "370202", "370203", "370211", "370215"],
        "赵女士",
        "以线上预约为主的家庭服务平台，提供钟点保洁、开荒保洁、家电清洗和宠物照护，按单结算。",
    ),
    DemoEmployer(
        "shouhu",
        "青岛平安守护保安服务有限公司",
        "平安守护",
        Sector.SECURITY,
        "370211",
        EmployerSize.LARGE,
        24,
        "good",
        GUARD_TITLES,
        ["370211", "370202", "370212", "370214", "370213"],
        "陈队长",
        "持有保安服务许可证的保安服务公司，为住宅小区、写字楼、学校和医院提供门岗、巡逻和消防值守服务。",
    ),
    DemoEmployer(
        "chengan",
        "青岛城安物业安保服务有限公司",
        "城安",
        Sector.SECURITY,
        "370215",
        EmployerSize.MEDIUM,
        18,
        "mixed",
        INSPECTION_TITLES,
        ["370215", "370203", "370214", "370211", "370213"],
        "杨经理",
        "为商场、地铁站、会展和银行网点提供安检与秩序维护服务，按项目排班。",
    ),
]

# ---------------------------------------------------------------------------------------------
# Rights by employer profile and work form: (contract, insurance, weight).
# Full-time posts always come with a labour contract and 五险, as the law requires.

RIGHTS = {
    "good": [
        ("part_time_agreement", "injury_only", 7),
        ("labour", "full", 3),
    ],
    "mixed": [
        ("part_time_agreement", "injury_only", 5),
        ("part_time_agreement", "accident_only", 3),
        ("service", "accident_only", 2),
        ("service", "none", 1),
    ],
    "poor": [
        ("service", "none", 5),
        ("service", "accident_only", 4),
        ("part_time_agreement", "injury_only", 2),
        ("part_time_agreement", "none", 1),
    ],
}

CAREER_ROUTES = {
    Sector.CATERING: [
        "表现优秀者可转为全日制门店员工",
        "可晋升为领班、店长助理",
        "满一年可参加中式面点师职业技能等级认定",
        "门店有空缺时优先转为全日制并缴纳五险",
    ],
    Sector.DOMESTIC: [
        "满一年可参加育婴员、养老护理员职业技能等级认定，晋升高级服务员",
        "可晋升为家政督导或培训讲师",
        "服务评价优秀者可转为员工制全职岗位",
    ],
    Sector.SECURITY: [
        "公司组织保安员证、消防设施操作员证考试",
        "可晋升为班长、项目主管",
        "表现优秀者可转为全日制并缴纳五险",
    ],
}

SCHEDULE_NOTES = [
    "法定节假日轮休，确需加班的另行协商并按规定支付加班工资。",
    "孩子生病或学校有活动可提前一天申请调班。",
    "寒暑假期间可申请调整班次。",
    "排班每周提前公布，可在班组内互换。",
    "",
    "",
    "",
]

SITE_SUFFIX = {
    Sector.CATERING: ["{road}店", "{road}门店", "{road}社区店"],
    Sector.DOMESTIC: ["{district}服务站"],
    Sector.SECURITY: ["{road}项目", "{road}项目部"],
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"
CONTACT_TITLES = {
    Sector.CATERING: ["经理", "店长", "主管"],
    Sector.DOMESTIC: ["老师", "主管", "经理"],
    Sector.SECURITY: ["队长", "主管", "经理"],
}

# ---------------------------------------------------------------------------------------------
# Linyi, Yihe New District: a call for posts, open now.

YIHE_CALL_TEXT = (
    "为帮助照护12岁以下儿童的家长等群体实现家门口就业，沂河新区现面向辖区用人单位征集"
    "第一批“妈妈岗”岗位。重点征集客服（电话、在线客服）、电商直播（主播、场控、运营助理）、"
    "手工制作（柳编、布艺、串珠等居家或到岗手工）和新媒体内容（文案、短视频剪辑）岗位。\n"
    "岗位应满足：工作时间灵活或弹性，劳动强度适中，便于接送孩子上下学，原则上实行双休；"
    "明确薪酬标准、合同形式和社会保险；不得设置性别、婚育等限制条件，不得收取任何费用。\n"
    "请用人单位在截止日期前通过本平台提交岗位，人社部门审核通过后统一发布。"
)
YIHE_SECTORS = [Sector.CUSTOMER_SERVICE, Sector.ECOMMERCE, Sector.HANDICRAFT, Sector.CONTENT]

LINYI_EMPLOYERS = [
    {
        "key": "yunkefu",
        "name": "临沂沂河云客服信息技术有限公司",
        "sector": Sector.CUSTOMER_SERVICE,
        "size": EmployerSize.MEDIUM,
        "contact": "韩经理",
        "road": "沂河路",
        "description": "为电商平台和本地生活服务企业提供外包客服，设有在线客服中心，部分岗位可居家办公。",
    },
    {
        "key": "youpin",
        "name": "临沂沂河优品电子商务有限公司",
        "sector": Sector.ECOMMERCE,
        "size": EmployerSize.SMALL,
        "contact": "孟经理",
        "road": "滨河东路",
        "description": "经营临沂农产品和小商品的直播电商企业，自有直播基地和短视频团队。",
    },
    {
        "key": "qiaoshou",
        "name": "临沂巧手坊工艺品有限公司",
        "sector": Sector.HANDICRAFT,
        "size": EmployerSize.SMALL,
        "contact": "徐女士",
        "road": "智慧大道",
        "description": "生产柳编、草编和布艺家居工艺品，出口订单稳定，提供原料和工具，支持居家加工。",
    },
]

# (employer key, title, sector, work form, place, shift, pay unit, pay min, pay max,
#  contract, insurance, description, requirements)
LINYI_POSTINGS = [
    (
        "yunkefu",
        "在线客服专员（居家）",
        Sector.CUSTOMER_SERVICE,
        WorkForm.PART_TIME,
        "home",
        "morning",
        "hour",
        "21",
        "25",
        "part_time_agreement",
        "injury_only",
        "通过电脑在线回复电商平台顾客的售前售后咨询，处理退换货登记。公司提供话术培训和系统账号，上岗前需到公司参加两天带教。工资每半月结算一次。",
        "会打字（每分钟40字以上），家中有电脑和稳定网络。",
    ),
    (
        "yunkefu",
        "电话回访客服",
        Sector.CUSTOMER_SERVICE,
        WorkForm.FULL_TIME,
        "on_site",
        "school",
        "month",
        "3300",
        "4200",
        "labour",
        "full",
        "在客服中心进行订单回访和满意度调查，不做电话销售，无外呼指标压力。签订劳动合同，缴纳五险，周末双休。",
        "普通话清楚，会基础电脑操作。",
    ),
    (
        "yunkefu",
        "售后客服（弹性班）",
        Sector.CUSTOMER_SERVICE,
        WorkForm.HOURLY,
        "hybrid",
        "flex",
        "hour",
        "20",
        "24",
        "part_time_agreement",
        "injury_only",
        "每周在系统中自选排班时段，处理售后工单和物流异常。熟练后可申请居家办公。",
        "有客服经验者优先，会使用智能手机和电脑。",
    ),
    (
        "youpin",
        "直播间场控助理",
        Sector.ECOMMERCE,
        WorkForm.FULL_TIME,
        "on_site",
        "school",
        "month",
        "3200",
        "4500",
        "labour",
        "full",
        "配合主播完成白天场次的商品上架、库存核对、弹幕互动和样品整理。白天直播，不上夜场。",
        "会使用智能手机，反应快，有电商经验者优先。",
    ),
    (
        "youpin",
        "农产品带货主播（白天场）",
        Sector.ECOMMERCE,
        WorkForm.PART_TIME,
        "on_site",
        "morning",
        "hour",
        "22",
        "35",
        "part_time_agreement",
        "injury_only",
        "在公司直播间讲解沂蒙农产品，每场约2小时，公司提供选品、脚本和直播设备，不收取任何费用，不要求个人囤货。",
        "普通话较好，愿意出镜，无经验可带教。",
    ),
    (
        "youpin",
        "短视频剪辑员（居家）",
        Sector.CONTENT,
        WorkForm.HOME_BASED,
        "home",
        "flex",
        "piece",
        "40",
        "80",
        "service",
        "none",
        "按公司提供的素材剪辑商品短视频，每条30-60秒，按条结算，每月结算一次。",
        "会使用剪映等剪辑软件，能按时交付。",
    ),
    (
        "qiaoshou",
        "柳编工艺品编织员",
        Sector.HANDICRAFT,
        WorkForm.PART_TIME,
        "on_site",
        "morning3",
        "hour",
        "20",
        "24",
        "part_time_agreement",
        "injury_only",
        "在车间编织柳编收纳篮、花篮等出口工艺品，师傅现场带教，原料和工具由公司提供。",
        "手巧有耐心，无经验可学。",
    ),
    (
        "qiaoshou",
        "布艺手工（居家计件）",
        Sector.HANDICRAFT,
        WorkForm.HOME_BASED,
        "home",
        "flex",
        "piece",
        "2.5",
        "6",
        "service",
        "none",
        "领取裁好的布料在家缝制布艺收纳袋和挂饰，按件计酬，验收合格后每半月结算。原料由公司免费提供，不收取任何费用。",
        "会使用家用缝纫机或手缝。",
    ),
]
