#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Generates kiosk-app's demo hall data (deterministic, synthetic).

  gen_demo_data.py guides OUT.json            the demo guide catalog (>= 60 guides)
  gen_demo_data.py cases OUT.json [--holder ID:NAME ...]
                                              the demo case store (>= 300 cases, every state)
  gen_demo_data.py big OUT.json N             a catalog of N guides (benchmarks, tests)

Every person is synthetic: names are drawn from common surname/given-name
characters, ID numbers are made up (valid GB 11643 check digit, birth dates
and region codes chosen at random). Only a salted HMAC-SHA256 of each ID
number and a masked form (1101**********1234, libkiosk's kiosk_mask_id_number()
through its Python package: run with LIBKIOSK_LIBRARY=build/libkiosk/libkiosk.so)
are written: never the number.
The `--holder` option adds demo card holders (e.g. the card of kiosk-sim) so
that "place your ID card" finds cases.
"""
import hashlib
import hmac
import json
import random
import sys

SEED = 20261124
AS_OF = "2026-11-24"          # the date the store was generated for (see "rebase")
SALT = "d3m0-hall-salt-5f1c9a7e"  # demo salt; a real hall sets its own

# --------------------------------------------------------------------------
# departments, themes
DEPTS = [
    ("ga", "市公安局", "公安"),
    ("rs", "市人力资源和社会保障局", "人社"),
    ("yb", "市医疗保障局", "医保"),
    ("sj", "市市场监督管理局", "市场监管"),
    ("bdc", "市不动产登记中心", "不动产"),
    ("mz", "市民政局", "民政"),
    ("sw", "国家税务总局市税务局", "税务"),
    ("gjj", "市住房公积金管理中心", "公积金"),
    ("wj", "市卫生健康委员会", "卫健"),
    ("jt", "市交通运输局", "交通"),
    ("jy", "市教育局", "教育"),
]
THEMES = ["户籍身份", "出入境", "社会保障", "就业创业", "医疗保障", "企业开办", "房产交易",
          "婚姻登记", "社会救助", "纳税缴费", "住房公积金", "生育收养", "交通出行", "教育入学", "养老服务"]

HALL = {
    "name": "市政务服务中心",
    "address": "市民大道 100 号",
    "hours": "周一至周五 9:00—12:00，13:30—17:00（法定节假日除外）",
    "phone": "0571-12345",
    "online": "https://zwfw.example.gov.cn",
}

# --------------------------------------------------------------------------
# guide table: (dept, name, type, class, legal(days,unit), promised(days,unit),
#               visits, themes, keywords, conditions, materials, fees, basis)
# materials: (name, form, copies, required, note)
O, C, OC, E = "原件", "复印件", "原件及复印件", "电子"
ID = ("居民身份证", O, 1, True, "核验后退还")
HKB = ("居民户口簿", O, 1, True, "核验后退还")
FORM = lambda n: (n, O, 1, True, "现场填写或网上下载")
PHOTO = ("近期免冠证件照片", O, 2, True, "白底，规格 33×48 mm")
AGENT = ("委托书及代理人身份证", O, 1, False, "委托他人代办时提供")
LIC = ("营业执照", OC, 1, True, "")
FREE = {"free": True}


def fee(*items):
    return {"free": False, "items": [{"name": n, "amount": a, "basis": b} for n, a, b in items]}


G = [
    # ---- 公安 ---------------------------------------------------------
    ("ga", "居民身份证换领", "公共服务", "承诺件", (60, "natural"), (20, "natural"), 1, ["户籍身份"], ["身份证", "换证"],
     ["本市户籍居民身份证有效期满、证件损坏或登记项目变更", "本人到场采集人像和指纹"],
     [ID, HKB, ("原居民身份证", O, 1, True, "有效期满或损坏的证件交回")],
     fee(("居民身份证工本费", "20元", "发改价格〔2003〕2322号")), "《中华人民共和国居民身份证法》第十一条"),
    ("ga", "居民身份证补领", "公共服务", "承诺件", (60, "natural"), (20, "natural"), 1, ["户籍身份"], ["身份证", "丢失", "补办"],
     ["居民身份证丢失", "本人到场采集人像和指纹"],
     [HKB, FORM("居民身份证申领登记表")],
     fee(("居民身份证工本费", "40元", "发改价格〔2003〕2322号")), "《中华人民共和国居民身份证法》第十一条"),
    ("ga", "临时居民身份证申领", "公共服务", "即办件", (3, "natural"), (0, "working"), 1, ["户籍身份"], ["临时身份证"],
     ["正在申领、换领、补领居民身份证期间急需使用"],
     [HKB, PHOTO, ("居民身份证受理回执", O, 1, True, "")],
     fee(("临时居民身份证工本费", "10元", "发改价格〔2003〕2322号")), "《中华人民共和国临时居民身份证管理办法》"),
    ("ga", "户口迁入（投靠子女）", "行政许可", "承诺件", (20, "working"), (10, "working"), 1, ["户籍身份"], ["落户", "户口迁移", "投靠"],
     ["男性满60周岁、女性满55周岁投靠本市常住户口子女", "子女在本市有合法稳定住所"],
     [ID, HKB, ("亲属关系证明", OC, 1, True, "出生医学证明或公证书"), ("子女房屋产权证明", OC, 1, True, "不动产权证书"), FORM("户口迁移申请表")],
     FREE, "《中华人民共和国户口登记条例》第十条"),
    ("ga", "出生登记", "行政确认", "即办件", (30, "natural"), (0, "working"), 1, ["户籍身份", "生育收养"], ["新生儿", "报户口", "上户口"],
     ["婴儿出生后一个月内由监护人申报", "父母一方为本市常住户口"],
     [("出生医学证明", O, 1, True, "卫健部门签发"), ("父母居民户口簿", O, 1, True, ""), ("父母居民身份证", O, 1, True, ""), ("父母结婚证", OC, 1, False, "非婚生育无需提供")],
     FREE, "《中华人民共和国户口登记条例》第七条"),
    ("ga", "普通护照签发", "行政许可", "承诺件", (15, "working"), (7, "working"), 1, ["出入境"], ["护照", "出国"],
     ["中国公民因前往外国定居、探亲、学习、就业、旅行、从事商务活动等非公务原因出国"],
     [ID, ("普通护照申请表", O, 1, True, "现场照相并签名"), ("原护照", O, 1, False, "换发时提供")],
     fee(("普通护照", "120元", "发改价格〔2017〕1186号")), "《中华人民共和国护照法》第五条"),
    ("ga", "往来港澳通行证及签注签发", "行政许可", "承诺件", (15, "working"), (7, "working"), 1, ["出入境"], ["港澳通行证", "签注"],
     ["内地居民因旅游、探亲、商务等前往香港、澳门"],
     [ID, ("往来港澳通行证申请表", O, 1, True, "现场照相")],
     fee(("往来港澳通行证（电子）", "60元", "发改价格〔2019〕114号"), ("团队旅游签注", "15元/次", "发改价格〔2019〕114号")),
     "《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》"),
    ("ga", "机动车驾驶证换证", "行政许可", "即办件", (1, "working"), (0, "working"), 1, ["交通出行"], ["驾照", "驾驶证", "换证"],
     ["驾驶证有效期满前九十日内申请换证", "身体条件符合驾驶许可条件"],
     [ID, ("机动车驾驶证", O, 1, True, ""), ("身体条件证明", O, 1, True, "县级以上医疗机构出具"), PHOTO],
     fee(("驾驶证工本费", "10元", "发改价格〔2004〕2831号")), "《机动车驾驶证申领和使用规定》第七十一条"),
    # ---- 人社 ---------------------------------------------------------
    ("rs", "城乡居民基本养老保险参保登记", "公共服务", "即办件", (5, "working"), (0, "working"), 1, ["社会保障", "养老服务"], ["养老保险", "参保", "城乡居民"],
     ["年满16周岁（不含在校学生）", "非国家机关和事业单位工作人员", "不属于职工基本养老保险覆盖范围"],
     [ID, HKB, FORM("城乡居民基本养老保险参保登记表")], FREE, "《国务院关于建立统一的城乡居民基本养老保险制度的意见》国发〔2014〕8号"),
    ("rs", "城乡居民养老保险待遇申领", "行政给付", "承诺件", (20, "working"), (10, "working"), 1, ["社会保障", "养老服务"], ["养老金", "领取", "退休"],
     ["年满60周岁", "累计缴费满15年", "未领取国家规定的基本养老保障待遇"],
     [ID, HKB, ("本人银行账户信息", C, 1, True, "社会保障卡或银行卡"), FORM("城乡居民养老保险待遇申领表")],
     FREE, "《国务院关于建立统一的城乡居民基本养老保险制度的意见》国发〔2014〕8号"),
    ("rs", "失业保险金申领", "行政给付", "承诺件", (20, "working"), (5, "working"), 1, ["社会保障", "就业创业"], ["失业金", "失业保险"],
     ["失业前用人单位和本人已缴纳失业保险费满一年", "非因本人意愿中断就业", "已进行失业登记并有求职要求"],
     [ID, ("解除或终止劳动关系证明", OC, 1, True, "用人单位出具"), ("社会保障卡", O, 1, True, "")],
     FREE, "《失业保险条例》第十四条"),
    ("rs", "社会保障卡申领", "公共服务", "承诺件", (30, "natural"), (15, "natural"), 1, ["社会保障"], ["社保卡", "申领"],
     ["已参加本市社会保险"], [ID, PHOTO], FREE, "《社会保障卡管理办法》"),
    ("rs", "社会保障卡挂失补换", "公共服务", "承诺件", (30, "natural"), (10, "natural"), 1, ["社会保障"], ["社保卡", "补卡", "挂失"],
     ["社会保障卡遗失、损坏或信息变更"], [ID, ("原社会保障卡", O, 1, False, "损坏换卡时交回")],
     fee(("社会保障卡补换工本费", "20元", "省物价局相关文件")), "《社会保障卡管理办法》"),
    ("rs", "个人权益记录查询打印", "公共服务", "即办件", (1, "working"), (0, "working"), 0, ["社会保障"], ["社保缴费", "参保证明", "打印"],
     ["本人或委托代理人申请"], [ID, AGENT], FREE, "《社会保险个人权益记录管理办法》"),
    ("rs", "就业创业证申领", "公共服务", "即办件", (5, "working"), (0, "working"), 1, ["就业创业"], ["就业证", "失业登记"],
     ["在法定劳动年龄内有就业需求"], [ID, PHOTO, FORM("就业创业登记表")], FREE, "《就业服务与就业管理规定》"),
    ("rs", "创业担保贷款申请", "公共服务", "承诺件", (30, "working"), (15, "working"), 2, ["就业创业"], ["创业", "贷款", "担保"],
     ["持就业创业证的城镇登记失业人员、高校毕业生等重点群体", "创业项目已取得营业执照"],
     [ID, LIC, ("创业计划书", O, 1, True, ""), ("就业创业证", C, 1, True, ""), FORM("创业担保贷款申请表")],
     FREE, "《关于进一步加大创业担保贷款贴息力度的通知》财金〔2020〕21号"),
    # ---- 医保 ---------------------------------------------------------
    ("yb", "城乡居民基本医疗保险参保登记", "公共服务", "即办件", (5, "working"), (0, "working"), 1, ["医疗保障"], ["医保", "参保", "居民医保"],
     ["本市户籍或持本市居住证的城乡居民", "未参加职工基本医疗保险"], [ID, HKB], FREE, "《中华人民共和国社会保险法》第二十五条"),
    ("yb", "异地就医备案", "公共服务", "即办件", (1, "working"), (0, "working"), 0, ["医疗保障"], ["异地就医", "备案", "跨省"],
     ["参加本市基本医疗保险", "异地长期居住或临时外出就医"], [ID, ("异地居住证明或承诺书", O, 1, True, "个人承诺即可")],
     FREE, "《关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》医保发〔2022〕22号"),
    ("yb", "门诊慢特病待遇认定", "行政确认", "承诺件", (30, "working"), (15, "working"), 1, ["医疗保障"], ["慢性病", "门特", "慢特病"],
     ["参加本市基本医疗保险", "患有规定的门诊慢特病病种"],
     [ID, ("二级及以上医院诊断证明", O, 1, True, ""), ("近一年病历及检查报告", C, 1, True, ""), FORM("门诊慢特病认定申请表")],
     FREE, "《国家医疗保障局办公室关于健全完善门诊慢特病保障制度的通知》"),
    ("yb", "医疗费用手工（零星）报销", "行政给付", "承诺件", (30, "working"), (20, "working"), 1, ["医疗保障"], ["报销", "医药费", "零星报销"],
     ["因急诊、异地就医等原因未能直接结算"],
     [ID, ("医疗费用票据", O, 1, True, ""), ("费用明细清单", O, 1, True, ""), ("出院小结或门诊病历", C, 1, True, ""), ("本人银行卡", C, 1, True, "")],
     FREE, "《中华人民共和国社会保险法》第二十九条"),
    ("yb", "生育医疗费用报销", "行政给付", "承诺件", (20, "working"), (10, "working"), 1, ["医疗保障", "生育收养"], ["生育", "报销", "生育保险"],
     ["参加职工或居民医疗保险", "在定点医疗机构生育"],
     [ID, ("出生医学证明", C, 1, True, ""), ("医疗费用票据及明细", O, 1, True, ""), ("银行卡", C, 1, True, "")],
     FREE, "《中华人民共和国社会保险法》第五十四条"),
    ("yb", "医保关系转移接续", "公共服务", "承诺件", (45, "working"), (15, "working"), 0, ["医疗保障"], ["医保转移", "关系接续"],
     ["跨统筹地区就业或居住，参保关系需要转移"], [ID, FORM("基本医疗保障参保（合）凭证")],
     FREE, "《基本医疗保障关系转移接续暂行办法》"),
    # ---- 市场监管 -------------------------------------------------------
    ("sj", "个体工商户设立登记", "行政许可", "即办件", (15, "working"), (0, "working"), 1, ["企业开办", "就业创业"], ["个体户", "营业执照", "开店"],
     ["有经营能力的自然人", "经营场所符合规定"],
     [ID, ("经营场所使用证明", C, 1, True, "房产证或租赁合同"), FORM("个体工商户登记（备案）申请书")],
     FREE, "《促进个体工商户发展条例》；《市场主体登记管理条例》"),
    ("sj", "有限责任公司设立登记", "行政许可", "承诺件", (15, "working"), (1, "working"), 1, ["企业开办"], ["开公司", "企业设立", "营业执照"],
     ["名称符合规定", "股东符合法定人数", "有公司章程和住所"],
     [("公司登记（备案）申请书", O, 1, True, ""), ("公司章程", O, 1, True, "全体股东签署"), ("股东主体资格证明", C, 1, True, ""),
      ("法定代表人、董事、监事和经理的任职文件", O, 1, True, ""), ("住所使用相关文件", C, 1, True, "")],
     FREE, "《中华人民共和国公司法》；《市场主体登记管理条例》"),
    ("sj", "企业变更登记", "行政许可", "承诺件", (15, "working"), (3, "working"), 1, ["企业开办"], ["变更", "法定代表人", "地址变更"],
     ["已登记的企业登记事项发生变化"],
     [("变更登记申请书", O, 1, True, ""), ("变更决议或决定", O, 1, True, ""), LIC, ("章程修正案", O, 1, False, "涉及章程修改时")],
     FREE, "《市场主体登记管理条例》第二十四条"),
    ("sj", "企业简易注销登记", "行政许可", "承诺件", (20, "working"), (3, "working"), 1, ["企业开办"], ["注销", "简易注销"],
     ["未发生债权债务或已将债权债务清偿完结", "公示期满无异议"],
     [("注销登记申请书", O, 1, True, ""), ("全体投资人承诺书", O, 1, True, ""), LIC],
     FREE, "《市场主体登记管理条例》第三十三条"),
    ("sj", "食品经营许可", "行政许可", "承诺件", (20, "working"), (10, "working"), 1, ["企业开办"], ["食品经营", "餐饮", "许可证"],
     ["有与经营的食品品种、数量相适应的经营场所", "有食品安全管理人员和管理制度"],
     [("食品经营许可申请书", O, 1, True, ""), LIC, ("经营场所平面图和设备布局图", O, 1, True, ""), ("食品安全管理制度", O, 1, True, "")],
     FREE, "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》"),
    ("sj", "药品零售企业许可", "行政许可", "承诺件", (30, "working"), (15, "working"), 2, ["企业开办"], ["药店", "药品经营"],
     ["有依法经过资格认定的药学技术人员", "有与所经营药品相适应的营业场所、设备、仓储设施"],
     [FORM("药品经营许可证申请表"), LIC, ("执业药师注册证", C, 1, True, ""), ("营业场所和仓库平面布置图", O, 1, True, ""), ("质量管理文件目录", O, 1, True, "")],
     FREE, "《中华人民共和国药品管理法》第五十一条"),
    ("sj", "特种设备使用登记", "行政许可", "承诺件", (15, "working"), (5, "working"), 1, ["企业开办"], ["特种设备", "电梯", "锅炉"],
     ["特种设备投入使用前或者投入使用后30日内"],
     [("特种设备使用登记表", O, 2, True, ""), ("产品合格证", C, 1, True, ""), ("监督检验证明", C, 1, True, ""), LIC],
     FREE, "《中华人民共和国特种设备安全法》第三十三条"),
    # ---- 不动产 ---------------------------------------------------------
    ("bdc", "不动产登记资料查询", "公共服务", "即办件", (1, "working"), (0, "working"), 1, ["房产交易"], ["不动产", "查档", "房产查询"],
     ["权利人、利害关系人可以依法查询、复制不动产登记资料"], [ID, ("查询申请书", O, 1, True, ""), AGENT],
     FREE, "《不动产登记资料查询暂行办法》"),
    ("bdc", "不动产首次登记（国有建设用地使用权及房屋所有权）", "行政确认", "承诺件", (30, "working"), (10, "working"), 1, ["房产交易"], ["不动产", "首次登记", "房产证"],
     ["房屋已竣工验收", "土地出让价款已缴清"],
     [FORM("不动产登记申请书"), ("申请人身份证明", C, 1, True, ""), ("不动产权属来源证明", OC, 1, True, ""), ("房屋竣工验收资料", C, 1, True, ""), ("不动产权籍调查成果", O, 1, True, "")],
     fee(("不动产登记费（住宅）", "80元/件", "财税〔2016〕79号"), ("证书工本费", "10元/本（第一本免收）", "发改价格规〔2016〕2559号")),
     "《不动产登记暂行条例》第十四条"),
    ("bdc", "不动产转移登记（二手房买卖）", "行政确认", "承诺件", (30, "working"), (5, "working"), 1, ["房产交易"], ["不动产", "过户", "二手房", "转移登记"],
     ["买卖双方签订房屋买卖合同", "已完税"],
     [FORM("不动产登记申请书"), ("买卖双方身份证明", C, 1, True, ""), ("不动产权证书", O, 1, True, ""), ("房屋买卖合同", O, 1, True, "网签备案合同"), ("完税凭证", C, 1, True, "")],
     fee(("不动产登记费（住宅）", "80元/件", "财税〔2016〕79号")), "《不动产登记暂行条例》第十四条"),
    ("bdc", "不动产抵押登记", "行政确认", "承诺件", (30, "working"), (3, "working"), 1, ["房产交易"], ["不动产", "抵押", "房贷"],
     ["主债权合同和抵押合同已签订"],
     [FORM("不动产登记申请书"), ("不动产权证书", O, 1, True, ""), ("主债权合同", O, 1, True, ""), ("抵押合同", O, 1, True, ""), ("双方身份证明", C, 1, True, "")],
     fee(("不动产登记费（住宅）", "80元/件", "财税〔2016〕79号")), "《中华人民共和国民法典》第四百零二条；《不动产登记暂行条例》"),
    ("bdc", "不动产抵押权注销登记", "行政确认", "即办件", (30, "working"), (0, "working"), 1, ["房产交易"], ["不动产", "解押", "抵押注销"],
     ["主债权消灭或抵押权人放弃抵押权"],
     [FORM("不动产登记申请书"), ("不动产登记证明", O, 1, True, ""), ("抵押权消灭证明", O, 1, True, "贷款银行出具")],
     FREE, "《不动产登记暂行条例实施细则》第七十三条"),
    ("bdc", "不动产权证书补证换证", "行政确认", "承诺件", (30, "working"), (10, "working"), 1, ["房产交易"], ["不动产", "补证", "房产证遗失"],
     ["不动产权证书遗失、灭失或者破损"],
     [FORM("不动产登记申请书"), ID, ("遗失声明", O, 1, False, "遗失补证时提供"), ("破损的不动产权证书", O, 1, False, "换证时交回")],
     fee(("证书工本费", "10元/本", "发改价格规〔2016〕2559号")), "《不动产登记暂行条例实施细则》第二十二条"),
    ("bdc", "不动产更正登记", "行政确认", "承诺件", (30, "working"), (10, "working"), 1, ["房产交易"], ["不动产", "更正", "信息错误"],
     ["不动产登记簿记载的事项错误"],
     [FORM("不动产登记申请书"), ID, ("不动产权证书", O, 1, True, ""), ("证实登记确有错误的材料", OC, 1, True, "")],
     FREE, "《不动产登记暂行条例实施细则》第七十九条"),
    # ---- 民政 -----------------------------------------------------------
    ("mz", "内地居民结婚登记", "行政确认", "即办件", (1, "working"), (0, "working"), 1, ["婚姻登记"], ["结婚", "领证", "结婚证"],
     ["男女双方自愿结婚", "男年满22周岁，女年满20周岁", "双方均无配偶"],
     [("双方居民身份证", O, 1, True, ""), ("双方居民户口簿", O, 1, False, "全国通办试点地区可免"), ("双方近期半身免冠合影照片", O, 3, True, "2寸红底")],
     fee(("结婚证工本费", "免收", "财税〔2012〕97号")), "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》"),
    ("mz", "内地居民离婚登记", "行政确认", "承诺件", (30, "natural"), (30, "natural"), 2, ["婚姻登记"], ["离婚", "冷静期"],
     ["双方自愿离婚", "对子女抚养、财产及债务处理等事项协商一致", "离婚冷静期届满"],
     [("双方居民身份证", O, 1, True, ""), ("双方居民户口簿", O, 1, True, ""), ("结婚证", O, 1, True, ""), ("离婚协议书", O, 3, True, ""), ("双方近期半身免冠照片", O, 2, True, "2寸")],
     FREE, "《中华人民共和国民法典》第一千零七十七条"),
    ("mz", "婚姻登记档案查询", "公共服务", "即办件", (1, "working"), (0, "working"), 1, ["婚姻登记"], ["婚姻档案", "婚姻证明"],
     ["当事人或委托代理人申请"], [ID, AGENT], FREE, "《婚姻登记档案管理办法》"),
    ("mz", "最低生活保障审核确认", "行政给付", "承诺件", (30, "working"), (20, "working"), 1, ["社会救助"], ["低保", "救助"],
     ["共同生活的家庭成员人均收入低于当地最低生活保障标准", "家庭财产状况符合规定"],
     [FORM("最低生活保障申请书"), ("家庭成员身份证明", C, 1, True, ""), ("家庭收入和财产状况声明", O, 1, True, ""), ("授权核对家庭经济状况委托书", O, 1, True, "")],
     FREE, "《社会救助暂行办法》第九条"),
    ("mz", "特困人员救助供养审核确认", "行政给付", "承诺件", (30, "working"), (20, "working"), 1, ["社会救助", "养老服务"], ["特困", "供养", "五保"],
     ["无劳动能力、无生活来源", "无法定赡养、抚养、扶养义务人或其义务人无履行能力"],
     [FORM("特困人员救助供养申请书"), ID, HKB, ("劳动能力评估材料", C, 1, False, "")],
     FREE, "《社会救助暂行办法》第十四条"),
    ("mz", "高龄津贴申领", "行政给付", "承诺件", (20, "working"), (10, "working"), 1, ["养老服务"], ["高龄补贴", "老人", "津贴"],
     ["本市户籍年满80周岁老年人"], [ID, HKB, ("本人银行账户", C, 1, True, "")], FREE, "《中华人民共和国老年人权益保障法》第三十三条"),
    ("mz", "残疾人两项补贴申领", "行政给付", "承诺件", (20, "working"), (15, "working"), 1, ["社会救助"], ["残疾人", "生活补贴", "护理补贴"],
     ["持有第二代残疾人证", "符合困难残疾人生活补贴或重度残疾人护理补贴条件"],
     [ID, ("中华人民共和国残疾人证", O, 1, True, ""), FORM("残疾人两项补贴申请审批表")],
     FREE, "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》国发〔2015〕52号"),
    ("mz", "收养登记", "行政确认", "承诺件", (30, "natural"), (30, "natural"), 2, ["生育收养"], ["收养", "领养"],
     ["收养人无子女或只有一名子女", "有抚养、教育和保护被收养人的能力", "年满30周岁"],
     [ID, HKB, ("收养申请书", O, 1, True, ""), ("收养评估报告", O, 1, True, "民政部门出具"), ("体检证明", O, 1, True, "")],
     FREE, "《中华人民共和国民法典》第一千零九十八条；《中国公民收养子女登记办法》"),
    # ---- 税务 -----------------------------------------------------------
    ("sw", "个人所得税综合所得年度汇算", "其他行政权力", "即办件", (1, "working"), (0, "working"), 0, ["纳税缴费"], ["个税", "汇算", "退税"],
     ["取得综合所得且需要办理汇算"], [ID, ("收入及扣除凭证", C, 1, False, "")], FREE, "《中华人民共和国个人所得税法》第十条"),
    ("sw", "发票领用", "其他行政权力", "即办件", (1, "working"), (0, "working"), 0, ["纳税缴费", "企业开办"], ["发票", "领票"],
     ["已办理涉税信息确认和发票票种核定"], [("经办人身份证件", O, 1, True, ""), ("税控设备", O, 1, False, "数电发票无需提供")],
     FREE, "《中华人民共和国发票管理办法》第十五条"),
    ("sw", "代开增值税发票", "其他行政权力", "即办件", (1, "working"), (0, "working"), 1, ["纳税缴费"], ["代开发票", "增值税"],
     ["已办理税务登记的小规模纳税人或其他符合条件的纳税人"], [("代开增值税发票缴纳税款申报单", O, 1, True, ""), ID, ("合同或协议", C, 1, False, "")],
     FREE, "《中华人民共和国发票管理办法》第十六条"),
    ("sw", "开具个人所得税纳税记录", "公共服务", "即办件", (1, "working"), (0, "working"), 0, ["纳税缴费"], ["完税证明", "纳税记录"],
     ["纳税人本人申请"], [ID], FREE, "《国家税务总局关于将个人所得税〈税收完税证明〉（文书式）调整为〈纳税记录〉有关事项的公告》"),
    ("sw", "契税申报", "行政征收", "即办件", (1, "working"), (0, "working"), 1, ["纳税缴费", "房产交易"], ["契税", "买房", "完税"],
     ["在境内转移土地、房屋权属的承受人"], [ID, ("房屋买卖合同", C, 1, True, ""), ("契税纳税申报表", O, 1, True, "")],
     fee(("契税", "按计税价格的1%—3%", "《中华人民共和国契税法》")), "《中华人民共和国契税法》"),
    ("sw", "城乡居民社会保险费缴纳", "行政征收", "即办件", (1, "working"), (0, "working"), 0, ["纳税缴费", "社会保障"], ["社保缴费", "医保缴费"],
     ["已参加城乡居民养老或医疗保险"], [ID], fee(("城乡居民医疗保险费", "按当年个人缴费标准", "市医保局年度通知")), "《中华人民共和国社会保险法》"),
    # ---- 公积金 ---------------------------------------------------------
    ("gjj", "住房公积金个人账户设立", "公共服务", "即办件", (3, "working"), (0, "working"), 1, ["住房公积金"], ["公积金", "开户"],
     ["单位已办理住房公积金缴存登记", "与单位建立劳动关系"], [ID, ("住房公积金个人账户设立清册", O, 1, True, "单位盖章")],
     FREE, "《住房公积金管理条例》第十五条"),
    ("gjj", "购买自住住房提取住房公积金", "行政给付", "承诺件", (3, "working"), (1, "working"), 1, ["住房公积金", "房产交易"], ["公积金提取", "购房"],
     ["购买本市或户籍地自住住房", "提取时间在购房之日起一年内"],
     [ID, ("购房合同", OC, 1, True, ""), ("购房发票或契税完税凭证", C, 1, True, ""), ("本人银行卡", C, 1, True, "")],
     FREE, "《住房公积金管理条例》第二十四条"),
    ("gjj", "租房提取住房公积金", "行政给付", "即办件", (3, "working"), (0, "working"), 0, ["住房公积金"], ["公积金提取", "租房"],
     ["本人及配偶在本市无自有住房且租赁住房"], [ID, ("无房承诺书", O, 1, True, ""), ("本人银行卡", C, 1, True, "")],
     FREE, "《住房公积金管理条例》第二十四条"),
    ("gjj", "住房公积金个人住房贷款申请", "公共服务", "承诺件", (15, "working"), (10, "working"), 2, ["住房公积金", "房产交易"], ["公积金贷款", "房贷"],
     ["连续足额缴存住房公积金满6个月", "购买、建造、翻建、大修自住住房"],
     [ID, HKB, ("婚姻状况证明", C, 1, True, ""), ("购房合同", O, 1, True, ""), ("首付款凭证", C, 1, True, ""), ("收入证明", O, 1, True, "单位出具")],
     FREE, "《住房公积金管理条例》第二十六条"),
    ("gjj", "住房公积金异地转移接续", "公共服务", "承诺件", (10, "working"), (3, "working"), 0, ["住房公积金"], ["公积金转移", "异地"],
     ["在转入地已建立住房公积金个人账户"], [ID], FREE, "《全国住房公积金异地转移接续业务操作规程》"),
    ("gjj", "住房公积金缴存证明打印", "公共服务", "即办件", (1, "working"), (0, "working"), 0, ["住房公积金"], ["公积金证明", "缴存明细"],
     ["缴存职工本人申请"], [ID], FREE, "《住房公积金管理条例》"),
    # ---- 卫健 -----------------------------------------------------------
    ("wj", "出生医学证明补发", "公共服务", "承诺件", (30, "working"), (15, "working"), 1, ["生育收养"], ["出生证", "出生医学证明", "补办"],
     ["出生医学证明遗失"], [("父母居民身份证", O, 1, True, ""), ("出生医学证明补发申请表", O, 1, True, ""), ("分娩医院出具的出生情况证明", O, 1, True, ""), ("遗失声明", O, 1, True, "")],
     FREE, "《国家卫生计生委关于启用和规范管理新版〈出生医学证明〉的通知》"),
    ("wj", "生育登记", "公共服务", "即办件", (1, "working"), (0, "working"), 0, ["生育收养"], ["生育登记", "准生证"],
     ["夫妻双方或一方为本市户籍或常住人口"], [("夫妻双方居民身份证", O, 1, True, ""), ("结婚证", O, 1, False, "")],
     FREE, "《中华人民共和国人口与计划生育法》"),
    ("wj", "医师执业注册", "行政许可", "承诺件", (20, "working"), (10, "working"), 1, ["就业创业"], ["医师", "执业证"],
     ["取得医师资格", "拟执业机构同意"],
     [("医师执业注册申请审核表", O, 1, True, ""), ("医师资格证书", OC, 1, True, ""), ("六个月内健康体检表", O, 1, True, ""), ("拟执业机构聘用证明", O, 1, True, ""), PHOTO],
     FREE, "《中华人民共和国医师法》第十三条；《医师执业注册管理办法》"),
    ("wj", "公共场所卫生许可", "行政许可", "承诺件", (20, "working"), (10, "working"), 1, ["企业开办"], ["卫生许可证", "理发", "宾馆"],
     ["场所布局和卫生设施符合规范", "从业人员取得健康合格证明"],
     [("公共场所卫生许可申请表", O, 1, True, ""), LIC, ("卫生设施布局平面图", O, 1, True, ""), ("从业人员健康合格证明", C, 1, True, "")],
     FREE, "《公共场所卫生管理条例》第八条"),
    ("wj", "独生子女父母奖励扶助申领", "行政给付", "承诺件", (30, "working"), (20, "working"), 1, ["生育收养", "养老服务"], ["奖励扶助", "独生子女"],
     ["本人及配偶均为农村户籍或符合条件的城镇人员", "年满60周岁"],
     [ID, HKB, ("独生子女父母光荣证", OC, 1, True, ""), FORM("奖励扶助对象申报表")],
     FREE, "《中华人民共和国人口与计划生育法》第三十一条"),
    # ---- 交通 -----------------------------------------------------------
    ("jt", "道路运输从业人员从业资格证补（换）发", "行政许可", "承诺件", (10, "working"), (5, "working"), 1, ["交通出行", "就业创业"], ["从业资格证", "货运", "客运"],
     ["从业资格证件遗失、损毁或有效期届满"], [ID, ("机动车驾驶证", C, 1, True, ""), PHOTO, FORM("从业资格证件补发申请表")],
     FREE, "《道路运输从业人员管理规定》"),
    ("jt", "网络预约出租汽车驾驶员证申请", "行政许可", "承诺件", (20, "working"), (10, "working"), 1, ["交通出行", "就业创业"], ["网约车", "驾驶员证"],
     ["取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历", "无交通肇事犯罪等记录"],
     [ID, ("机动车驾驶证", OC, 1, True, ""), ("无犯罪记录证明", O, 1, True, ""), FORM("网约车驾驶员证申请表")],
     FREE, "《网络预约出租汽车经营服务管理暂行办法》第十四条"),
    ("jt", "道路货物运输经营许可", "行政许可", "承诺件", (20, "working"), (10, "working"), 1, ["交通出行", "企业开办"], ["货运", "道路运输许可"],
     ["有与其经营业务相适应并经检测合格的车辆", "有符合规定条件的驾驶人员", "有健全的安全生产管理制度"],
     [FORM("道路货物运输经营申请表"), ID, ("机动车行驶证", C, 1, True, ""), ("驾驶人员从业资格证", C, 1, True, ""), ("安全生产管理制度文本", O, 1, True, "")],
     FREE, "《中华人民共和国道路运输条例》第二十一条"),
    ("jt", "老年人公交优待卡办理", "公共服务", "承诺件", (15, "working"), (7, "working"), 1, ["交通出行", "养老服务"], ["老年卡", "公交卡", "敬老卡"],
     ["本市户籍或持居住证年满65周岁"], [ID, PHOTO], FREE, "《中华人民共和国老年人权益保障法》第五十七条"),
    # ---- 教育 -----------------------------------------------------------
    ("jy", "义务教育阶段转学", "公共服务", "承诺件", (10, "working"), (5, "working"), 1, ["教育入学"], ["转学", "入学"],
     ["随迁或户籍变动需转学"], [("学生户口簿", C, 1, True, ""), ("转入学校接收证明", O, 1, True, ""), ("转学申请表", O, 1, True, "")],
     FREE, "《中华人民共和国义务教育法》第十二条"),
    ("jy", "教师资格认定", "行政许可", "承诺件", (30, "working"), (20, "working"), 1, ["就业创业"], ["教师资格证"],
     ["具备规定学历", "国家教师资格考试合格", "普通话水平达标"],
     [ID, ("学历证书", OC, 1, True, ""), ("普通话水平测试等级证书", C, 1, True, ""), ("体检合格证明", O, 1, True, ""), PHOTO],
     FREE, "《中华人民共和国教师法》第十三条；《教师资格条例》"),
]

# a long guide for the scrolling benchmark (with many materials and steps)
STEPS_GENERIC = ["申请：申请人到政务服务中心综合窗口或通过网上办事大厅提交申请材料",
                 "受理：窗口工作人员核验材料，材料齐全的当场受理并出具受理通知书；材料不全的一次性告知需补正内容",
                 "审查：承办部门对申请材料进行审查，必要时进行现场核查",
                 "决定：作出准予或不予办理的决定",
                 "办结送达：通过窗口领取、邮寄或电子证照方式送达结果"]


def check_digit(id17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * k for c, k in zip(id17, w)) % 11
    return "10X98765432"[s]


def make_guides():
    rnd = random.Random(SEED)
    guides = []
    dept_names = {d[0]: d[1] for d in DEPTS}
    windows = {}
    for i, (did, name, gtype, cls, legal, promised, visits, themes, kws, conds, mats, fees, basis) in enumerate(G):
        windows.setdefault(did, len(windows) + 1)
        seq = sum(1 for g in guides if g["dept_id"] == did) + 1
        code = "11330100%s%03d%s" % ({"行政许可": "01", "行政给付": "05", "行政确认": "07",
                                       "行政征收": "03", "公共服务": "20", "其他行政权力": "10"}[gtype],
                                      i + 1, "%02d" % seq)
        steps = list(STEPS_GENERIC)
        if cls == "即办件":
            steps = [STEPS_GENERIC[0], "受理审核：窗口核验材料，符合条件的当场办结", "取件：当场领取办理结果"]
        guides.append({
            "code": code,
            "name": name,
            "type": gtype,
            "department": dept_names[did],
            "dept_id": did,
            "themes": themes,
            "keywords": kws,
            "basis": basis,
            "conditions": conds,
            "materials": [{"name": m[0], "form": m[1], "copies": m[2], "required": m[3], "note": m[4]} for m in mats],
            "steps": steps,
            "case_class": cls,
            "legal_limit": {"days": legal[0], "unit": legal[1]},
            "promised_limit": {"days": promised[0], "unit": promised[1]},
            "fees": fees,
            "place": "%s%d楼%s区%d号窗口" % (HALL["name"], 1 + windows[did] % 3, "ABCD"[windows[did] % 4], 1 + seq * 2 + windows[did]),
            "hours": HALL["hours"],
            "phone": "0571-8%03d%04d" % (windows[did] * 7, rnd.randint(1000, 9999)),
            "complaint_phone": "12345",
            "visits": visits,
            "online_url": "%s/guide/%s" % (HALL["online"], code),
        })
    return guides


# What people say for a term of the guide names: the search finds the guides
# by either (catalog data, so a hall adds its own without a new build).
ALIASES = [
    ("社保卡", "社会保障卡"), ("社保", "社会保险"), ("社保", "社会保障"),
    ("医保", "医疗保险"), ("医保", "医疗保障"), ("医保", "医疗费用"),
    ("公积金", "住房公积金"), ("驾照", "驾驶证"), ("身份证", "居民身份证"),
    ("户口", "户籍"), ("营业执照", "设立登记"), ("房产证", "不动产权证书"),
    ("过户", "转移登记"), ("失业金", "失业保险金"), ("退休金", "养老保险待遇"),
    ("个税", "个人所得税"), ("港澳通行证", "往来港澳通行证"), ("网约车", "网络预约出租汽车"),
]

# Most asked-for services of the demo hall, in order: shown on the guide
# page before anything is typed and preferred by the ranking.
POPULAR = ["社会保障卡申领", "购买自住住房提取住房公积金", "居民身份证换领", "异地就医备案",
           "不动产转移登记（二手房买卖）", "企业变更登记", "失业保险金申领", "代开增值税发票",
           "机动车驾驶证换证", "个人所得税综合所得年度汇算", "住房公积金缴存证明打印",
           "内地居民结婚登记"]


def catalog(guides):
    by_name = {g["name"]: g["code"] for g in guides}
    return {
        "format": "libkiosk-guides/1",
        "hall": HALL,
        "departments": [{"id": d[0], "name": d[1], "short": d[2]} for d in DEPTS],
        "themes": THEMES,
        "aliases": [{"word": w, "means": m} for w, m in ALIASES],
        "popular": [by_name[n] for n in POPULAR if n in by_name],
        "guides": guides,
    }


# --------------------------------------------------------------------------
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华玉兰志强文红梅海燕俊峰晓东丹丹子涵浩然雨萱欣怡梓轩一诺思远佳豪淑珍凤英德明金凤永强春梅"
REGIONS = ["110101", "110105", "310104", "330106", "330102", "320106", "440305", "510107", "420106", "370102", "330110", "330108"]

# case states: key, label
STATES = ["received", "accepted", "rejected", "review", "supplement", "suspended", "decided", "completed", "delivered"]
LABEL = {"received": "收件", "accepted": "受理", "rejected": "不予受理", "review": "审查", "supplement": "补齐补正",
         "suspended": "挂起", "decided": "决定", "completed": "办结", "delivered": "送达"}


def id_hash(id_number):
    return hmac.new(SALT.encode(), id_number.upper().encode(), hashlib.sha256).hexdigest()


def mask_id(n):
    return _libkiosk().mask_id_number(n)


def mask_name(name):
    return _libkiosk().mask_name(name)


def _libkiosk():
    """libkiosk's Python package: the masks are the library's one policy
    (kiosk/privacy.h). Needs the built library: LIBKIOSK_LIBRARY=build/libkiosk/libkiosk.so."""
    import os
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "..", "..", "bindings", "python"))
    import libkiosk
    return libkiosk


def fake_person(rnd):
    name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
    y = rnd.randint(1940, 2004)
    m = rnd.randint(1, 12)
    d = rnd.randint(1, 28)
    body = "%s%04d%02d%02d%03d" % (rnd.choice(REGIONS), y, m, d, rnd.randint(1, 999))
    return name, body + check_digit(body)


def add_days(date, n):
    import datetime
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=n)).isoformat()


def workday_after(date, n):
    import datetime
    d = datetime.date.fromisoformat(date)
    while n > 0:
        d += datetime.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d.isoformat()


def make_cases(guides, holders):
    rnd = random.Random(SEED + 1)
    cases = []
    people = [fake_person(rnd) for _ in range(220)]
    for h in holders:
        idn, nm = h.split(":", 1)
        people.append((nm, idn.upper()))
    per_state = 40
    seq = 0
    order = []
    for s in STATES:
        order += [s] * per_state
    # the demo holders get cases in several states
    demo_people = people[220:]
    for n, st in enumerate(order):
        seq += 1
        in_progress = st in ("accepted", "review", "supplement", "suspended")
        pool = [x for x in guides if x["promised_limit"]["days"] > 0] if in_progress else guides
        g = rnd.choice(pool)
        if demo_people and n % 37 == 0:
            person = demo_people[(n // 37) % len(demo_people)]
        else:
            person = rnd.choice(people[:220])
        recv_offset = rnd.randint(1, 70)
        if in_progress:
            # mostly within the promised time, some overdue (calendar days ≈ 1.4 × working days)
            lim_days = g["promised_limit"]["days"]
            recv_offset = rnd.randint(1, max(2, int(lim_days * (1.6 if rnd.random() < 0.2 else 1.1))))
        if st in ("received",):
            recv_offset = rnd.randint(0, 2)
        received = add_days(AS_OF, -recv_offset)
        # keep submission on a working day
        import datetime
        rd = datetime.date.fromisoformat(received)
        while rd.weekday() >= 5:
            rd -= datetime.timedelta(days=1)
        received = rd.isoformat()
        dept_no = [d[0] for d in DEPTS].index(g["dept_id"]) + 1
        number = "%s%02d%04d" % (received.replace("-", ""), dept_no, seq)
        lim = g["promised_limit"] if g["promised_limit"]["days"] > 0 else {"days": 1, "unit": "working"}
        clock = {"day": None, "min": 0}

        def stamp(day):
            # times increase through a case: a later event on the same day is later in the day
            if clock["day"] != day:
                clock["day"] = day
                clock["min"] = rnd.randint(9 * 60, 10 * 60 + 30)
            else:
                clock["min"] = min(clock["min"] + rnd.randint(15, 90), 17 * 60 + 30)
            return "%s %02d:%02d" % (day, clock["min"] // 60, clock["min"] % 60)
        tl = [{"state": "received", "time": stamp(received), "note": "窗口收件"}]
        susp = []
        missing = []
        result = ""
        t = received
        if st != "received":
            if st == "rejected":
                tl.append({"state": "rejected", "time": stamp(t),
                           "note": "申请事项不属于本机关职权范围，已告知向有关机关申请"})
            else:
                tl.append({"state": "accepted", "time": stamp(t), "note": "材料齐全，予以受理"})
                if st not in ("accepted",):
                    t = workday_after(t, rnd.randint(1, 3))
                    if t > AS_OF:
                        t = AS_OF
                    tl.append({"state": "review", "time": stamp(t), "note": "承办人审查中"})
                if st == "supplement" or (st in ("decided", "completed", "delivered") and rnd.random() < 0.3):
                    t2 = workday_after(t, rnd.randint(0, 2))
                    if t2 > AS_OF:
                        t2 = AS_OF
                    req = [m["name"] for m in g["materials"]]
                    picks = rnd.sample(req, min(len(req), rnd.randint(1, 2)))
                    tl.append({"state": "supplement", "time": stamp(t2),
                               "note": "一次性告知：请补齐补正材料"})
                    if st == "supplement":
                        missing = ["%s（%s）" % (p, rnd.choice(["未提供", "复印件不清晰", "缺少签名", "已过有效期"])) for p in picks]
                        susp.append({"from": t2, "to": None, "reason": "补齐补正"})
                    else:
                        t3 = workday_after(t2, rnd.randint(2, 6))
                        if t3 > AS_OF:
                            t3 = AS_OF
                        susp.append({"from": t2, "to": t3, "reason": "补齐补正"})
                        tl.append({"state": "review", "time": stamp(t3), "note": "补正材料已提交，继续审查"})
                        t = t3
                if st == "suspended":
                    t2 = workday_after(t, rnd.randint(0, 3))
                    if t2 > AS_OF:
                        t2 = AS_OF
                    susp.append({"from": t2, "to": None, "reason": rnd.choice(["现场勘验（特别程序）", "专家评审（特别程序）", "公示期（特别程序）"])})
                    tl.append({"state": "suspended", "time": stamp(t2), "note": "进入特别程序，办理时限中止计算"})
                if st in ("decided", "completed", "delivered"):
                    t = workday_after(t, rnd.randint(1, max(1, lim["days"] // 2 + (2 if rnd.random() < 0.15 else 0))))
                    if t > AS_OF:
                        t = AS_OF
                    tl.append({"state": "decided", "time": stamp(t), "note": "准予办理"})
                    result = "准予办理"
                if st in ("completed", "delivered"):
                    tl.append({"state": "completed", "time": stamp(t), "note": "已办结，结果待领取"})
                if st == "delivered":
                    t = min(AS_OF, workday_after(t, rnd.randint(0, 2)))
                    tl.append({"state": "delivered", "time": stamp(t),
                               "note": rnd.choice(["窗口领取", "EMS 邮寄送达", "电子证照已推送"])})
        cls = g["case_class"]
        cases.append({
            "number": number,
            "guide_code": g["code"],
            "guide_name": g["name"],
            "department": g["department"],
            "class": cls if rnd.random() > 0.05 else "联办件",
            "state": st,
            "applicant": {"name": mask_name(person[0]), "id_mask": mask_id(person[1]), "id_hash": id_hash(person[1])},
            "received": received,
            "accepted": None if st in ("received", "rejected") else received,
            "limit": lim,
            "suspensions": susp,
            "missing": missing,
            "result": result,
            "timeline": tl,
        })
    rnd.shuffle(cases)
    return {
        "format": "libkiosk-cases/1",
        "as_of": AS_OF,
        "rebase": "week",
        "salt": SALT,
        "hash": "hmac-sha256",
        "cases": cases,
    }


def big_catalog(n):
    base = make_guides()
    rnd = random.Random(SEED + 2)
    regions = ["上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区", "富阳区", "临安区",
               "桐庐县", "淳安县", "建德市", "开发区", "高新区", "新区", "港区", "街道", "乡镇", "园区"]
    variants = ["", "（变更）", "（注销）", "（延续）", "（补办）", "（迁移）", "（备案）", "（查询）", "（申请）", "（年度）"]
    out = []
    i = 0
    while len(out) < n:
        g = dict(base[i % len(base)])
        r = regions[(i // len(base)) % len(regions)]
        v = variants[(i // (len(base) * len(regions))) % len(variants)]
        g["name"] = "%s%s%s" % (r if i >= len(base) else "", g["name"], v)
        g["code"] = "%s%05d" % (g["code"][:20], i)
        out.append(g)
        i += 1
    return catalog(out)


def dump(obj, path, indent=1):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def main():
    a = sys.argv[1:]
    if len(a) < 2:
        sys.exit(__doc__)
    if a[0] == "guides":
        dump(catalog(make_guides()), a[1])
    elif a[0] == "cases":
        holders = []
        k = 2
        while k < len(a):
            if a[k] == "--holder":
                holders.append(a[k + 1]); k += 2
            else:
                sys.exit("unknown option " + a[k])
        dump(make_cases(make_guides(), holders), a[1])
    elif a[0] == "big":
        dump(big_catalog(int(a[2])), a[1], indent=None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
