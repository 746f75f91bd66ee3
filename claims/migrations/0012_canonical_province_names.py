"""Every stored governorate under its canonical name (claims.gazetteer): "Nineveh" and "Ninewa"
become "Ninawa", as the importer now stores them. Names the gazetteer does not know are left as
they are. Not reversible to the old spellings (nothing kept them): the reverse does nothing."""

from django.db import migrations


def canonical_provinces(apps, schema_editor):
    from claims.gazetteer import canonical_province

    for model_name in ("Claim", "Strike"):
        model = apps.get_model("claims", model_name)
        stored = model.objects.order_by().values_list("country", "province").distinct()
        for country, province in list(stored):
            canonical = canonical_province(province, country)
            if canonical != province:
                model.objects.filter(country=country, province=province).update(
                    province=canonical
                )


class Migration(migrations.Migration):
    dependencies = [("claims", "0011_arabic_fields_and_search_text")]

    operations = [migrations.RunPython(canonical_provinces, migrations.RunPython.noop)]
