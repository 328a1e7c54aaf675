import datetime
from decimal import Decimal

import factory
from django.db.models import F
from django.utils import timezone

from deposits.models import (
    Commodity,
    Deposit,
    DepositCommodity,
    DepositDocument,
    DisclosureRevision,
    DocumentVisibility,
    ResourceEstimate,
    Source,
)


class DisclosureFactory(factory.django.DjangoModelFactory):
    """Factories write around the services; like them, they mark the disclosure as changed
    so that no cached public answer outlives the data a test sets up."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance: object, create: bool, results: dict | None = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:
            DisclosureRevision.objects.filter(pk=1).update(number=F("number") + 1)


class DepositFactory(DisclosureFactory):
    """A published deposit somewhere in central Kazakhstan, with lithium unless told otherwise."""

    class Meta:
        model = Deposit
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"deposit-{n}")
    name_en = factory.Sequence(lambda n: f"Deposit {n}")
    name_ru = factory.Sequence(lambda n: f"Месторождение {n}")
    name_kk = factory.Sequence(lambda n: f"Кен орны {n}")
    # Where the location is: the test blocks lie in the east (N49°10′ E081°10′), the default
    # locations in Karaganda region. An application's region is checked against its deposits.
    region = factory.LazyAttribute(lambda o: "east_kazakhstan" if float(o.longitude) >= 78 else "karaganda")
    district_en = "Shet District"
    latitude = factory.Sequence(lambda n: Decimal("47.0") + Decimal(n % 300) / 100)
    longitude = factory.Sequence(lambda n: Decimal("68.0") + Decimal(n % 700) / 100)
    deposit_type = "pegmatite"
    stage = "exploration"
    summary_en = "A rare-metal pegmatite field."
    summary_ru = "Поле редкометалльных пегматитов."
    is_published = True
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def commodities(self, create: bool, codes: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        for i, code in enumerate(codes if codes is not None else ["Li"]):
            DepositCommodity.objects.create(deposit=self, commodity=Commodity.objects.get(code=code), is_primary=i == 0)


class SourceFactory(DisclosureFactory):
    class Meta:
        model = Source

    deposit = factory.SubFactory(DepositFactory)
    title = "State balance of mineral reserves"
    publisher = "Committee of Geology"
    year = 2020
    url = "https://example.org/balance"


class EstimateFactory(DisclosureFactory):
    class Meta:
        model = ResourceEstimate

    deposit = factory.SubFactory(DepositFactory)
    commodity = factory.LazyFunction(lambda: Commodity.objects.get(code="Li"))
    code = "jorc"
    category = "indicated"
    tonnage_t = Decimal("10000000")
    grade = Decimal("1.2000")
    grade_unit = "% Li2O"
    contained_t = Decimal("120000")
    cutoff = Decimal("0.4")
    effective_date = datetime.date(2023, 6, 30)
    competent_person_en = "J. Smith, FAusIMM"


class DepositDocumentFactory(DisclosureFactory):
    """A document about a deposit, public unless told otherwise; `file` is an uploaded
    documents.Document (documents.services.document_upload) or None for a link."""

    class Meta:
        model = DepositDocument

    deposit = factory.SubFactory(DepositFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    visibility = DocumentVisibility.PUBLIC
