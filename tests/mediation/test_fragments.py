"""{% fixed %}: rendered once, the same for every request, never with a request's data."""

from django.template import engines


def test_a_fixed_fragment_keeps_its_first_rendering_and_ignores_the_page_variables():
    template = engines["django"].from_string(
        "{% load fragments %}{% fixed %}<a href=\"{% url 'cms:map' %}\">{{ name }}</a>"
        "{% endfixed %}{{ name }}"
    )

    first = template.render({"name": "Amiens"})
    second = template.render({"name": "Corbie"})

    assert first == '<a href="/carte/"></a>Amiens'
    assert second == '<a href="/carte/"></a>Corbie'
